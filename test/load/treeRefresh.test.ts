/**
 * 100 tree refreshes in a row (loadHostView over one SshHost, as the tree does for a host) leave
 * no SSH channel behind, counted on the server side: sshd's per-connection processes, the
 * processes of open session channels, the descriptors sshd holds, and established TCP sessions,
 * before and after. The lab's sshd allows 50 sessions per connection (MaxSessions 50), so one
 * leaked channel per refresh would also make refresh 51 fail.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../src/core/log';
import { loadHostView } from '../../src/core/model/loadHostView';
import { labRuntime } from '../support/heatOnLab';
import { connectLab, readLab } from '../support/lab';
import { formatSshd, settledSshdFigures } from '../support/sshdSessions';

const REFRESHES = 100;

test(`${REFRESHES} tree refreshes leak no SSH channel (server-side count)`, async () => {
  const lab = readLab();
  const ssh = connectLab(lab);
  try {
    const first = await loadHostView(ssh, labRuntime, silentLogger); // connects
    const containers = first.services.flatMap((s) => s.containers).length;
    assert.ok(containers >= lab.containers.length, `the tree lists the lab's ${lab.containers.length} containers`);
    const before = await settledSshdFigures();
    for (let i = 0; i < REFRESHES; i++) {
      const view = await loadHostView(ssh, labRuntime, silentLogger);
      assert.equal(view.services.flatMap((s) => s.containers).length, containers);
    }
    const afterRefreshes = await settledSshdFigures();
    console.log(`load/tree refresh: ${REFRESHES} refreshes of ${containers} containers on one connection; sshd before: ${formatSshd(before)}; after: ${formatSshd(afterRefreshes)}; client channels open: ${ssh.openChannels}`);
    assert.equal(ssh.openChannels, 0, 'no channel open on the client');
    assert.equal(afterRefreshes.connections, before.connections, 'no new connection');
    assert.equal(afterRefreshes.channelProcesses, before.channelProcesses, 'no session process left');
    assert.equal(afterRefreshes.sshdFds, before.sshdFds, 'sshd holds no more descriptors');
    assert.equal(afterRefreshes.established, before.established, 'no new TCP session');
  } finally {
    ssh.dispose();
  }
});
