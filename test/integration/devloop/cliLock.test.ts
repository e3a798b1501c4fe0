/**
 * The real osa-dev CLI against the lab: `osa-dev restore` after `osa-dev develop` needs no
 * --take-over (the lock names the develop run's process, which has exited on this machine: taken
 * over without asking, and said on stderr), while a lock held by a live process, or by a process of
 * another machine, is still refused by name with nothing changed on the host.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { currentProcess } from '../../../src/core/devloop/holderProcess';
import type { LockHolder } from '../../../src/core/devloop/journal';
import { JOURNAL_DIR, JournalStore } from '../../../src/core/devloop/journalStore';
import { stepsForRestore } from '../../../src/core/devloop/plan';
import { shellJoin } from '../../../src/core/shell/quote';
import type { SshHost } from '../../../src/core/ssh';
import { labEngine } from '../../support/heatOnLab';
import { connectLab, readLab, type LabContainer, type LabDescription } from '../../support/lab';
import { osaDevOnLab } from '../../support/labCli';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';

interface LabWithRepos extends LabDescription {
  readonly git: LabDescription['git'] & { readonly repos: Record<string, { readonly urlInNamespace: string }> };
}

let lab: LabWithRepos;
let ssh: SshHost;
let container: LabContainer;
let baseline: string;

const lockFile = (): string => `${JOURNAL_DIR}/${container.name}.lock`;
const develop = (): ReturnType<typeof osaDevOnLab> =>
  osaDevOnLab(lab, 'develop', container.name, '--git', lab.git.repos[container.service]!.urlInNamespace, '--ref', 'master');

async function writeLock(holder: LockHolder): Promise<void> {
  const line = shellJoin(['sh', '-c', 'umask 077; mkdir -p "$1" && cat > "$2"', 'sh', JOURNAL_DIR, lockFile()]);
  const result = await ssh.exec(line, { stdin: JSON.stringify(holder) });
  assert.equal(result.code, 0, result.stderr);
}

async function lockText(): Promise<string> {
  return (await ssh.exec(shellJoin(['cat', lockFile()]))).stdout;
}

before(async () => {
  lab = readLab() as LabWithRepos;
  container = lab.containers.find((c) => c.service === 'keystone')!;
  ssh = connectLab(lab);
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

after(async () => {
  await ssh.exec(shellJoin(['rm', '-f', lockFile()]));
  const journal = await new JournalStore(ssh).read(container.name).catch(() => undefined);
  if (journal) await labEngine(ssh, container.name, 'ci@lab (cli lock)').restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
  ssh.dispose();
});

test('osa-dev restore after osa-dev develop: the exited develop run\'s lock is taken over without --take-over', async () => {
  const developed = await develop();
  assert.equal(developed.code, 0, developed.stderr);
  const held = JSON.parse(await lockText()) as LockHolder;
  assert.match(held.holder, /\(osa-dev CLI pid \d+\)$/);
  assert.ok(held.process && held.process.pid > 0 && held.process.bootId !== '' && held.process.startTicks !== '', `the lock records the process: ${JSON.stringify(held)}`);

  const restored = await osaDevOnLab(lab, 'restore', container.name);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, new RegExp(`${container.name}: production restored`));
  assert.match(restored.stderr, new RegExp(`the dev-mode lock of .*osa-dev CLI pid ${held.process.pid}.* is taken over: its process ${held.process.pid} on \\S+ has exited`));
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline, 'production back byte for byte');
});

test('a live holder, and a holder on another machine, are refused by name; nothing changes', async () => {
  const live: LockHolder = { holder: 'alice@vm (VS Code window 1a2b3c4d)', since: '2026-11-25T20:00:00.000Z', process: currentProcess()! };
  const elsewhere: LockHolder = { holder: 'bob@laptop (osa-dev CLI pid 4242)', since: '2026-11-25T20:01:00.000Z', process: { ...currentProcess()!, hostname: 'laptop', pid: 4242 } };
  try {
    for (const holder of [live, elsewhere]) {
      await writeLock(holder);
      const before = await lockText();
      const refused = await develop();
      assert.equal(refused.code, 1, refused.stdout);
      assert.match(refused.stderr, new RegExp(`${container.name} is already in dev mode for ${holder.holder.replace(/[()]/g, '\\$&')} since ${holder.since}`));
      assert.equal(await lockText(), before, `${holder.holder}: the lock is left as it was`);
      assert.equal(await new JournalStore(ssh).read(container.name), undefined, 'no journal: nothing was changed');
    }
  } finally {
    await ssh.exec(shellJoin(['rm', '-f', lockFile()]));
  }
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
});
