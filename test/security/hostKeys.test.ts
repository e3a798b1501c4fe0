/**
 * Host keys against a lab sshd whose key was swapped (run under test/lab/exclusive.sh): a second,
 * temporary sshd — the lab host's own sshd and config, in the lab's namespaces, but with a newly
 * generated host key — on another 127.0.0.1 port, reached through the same alias and the same
 * known_hosts entry the lab's real key is recorded under. Changed key: refused, nothing runs.
 * Unknown key: the user is asked with its SHA256 fingerprint; refused → nothing runs, nothing
 * recorded; accepted → recorded, not asked again. Stopped after.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HostKeyMismatchError, HostKeyRejectedError, resolveHost, SshHost, type TrustQuestion } from '../../src/core/ssh';
import { descendants, freePort } from '../support/sshd';
import { labHostExec, readLab, type LabDescription } from '../support/lab';
import { FakeSecrets, RecordingLogger } from '../integration/ssh/harness';

const REPO = join(__dirname, '..', '..');
let lab: LabDescription;
let dir: string;
let port: number;
let forwarder: ChildProcess;
let swappedFingerprint: string;
const marker = `/tmp/osa-security-hostkey-${process.pid}`;

before(async () => {
  lab = readLab();
  dir = mkdtempSync(join(tmpdir(), 'osa-swapped-sshd-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'swapped', '-f', join(dir, 'host_key')]);
  swappedFingerprint = execFileSync('ssh-keygen', ['-lf', join(dir, 'host_key.pub')], { encoding: 'utf8' }).split(/\s+/)[1]!;
  // The lab host's sshd config with only the host key (and pid file) changed.
  const config = labHostExec(['cat', '/etc/ssh/sshd_config'])
    .split('\n')
    .filter((line) => !/^(HostKey|PidFile|Port|ListenAddress)\b/.test(line))
    .concat([`HostKey ${join(dir, 'host_key')}`, `PidFile ${join(dir, 'sshd.pid')}`, ''])
    .join('\n');
  writeFileSync(join(dir, 'sshd_config'), config);
  port = await freePort();
  // One `sshd -i` per connection, inside the lab host's namespaces, like the lab's own port 2222.
  forwarder = spawn('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `EXEC:bash ${join(REPO, 'test/lab/host-exec.sh')} /usr/sbin/sshd -i -f ${join(dir, 'sshd_config')}`], { stdio: 'ignore' });
  await waitForBanner(port);
});

after(() => {
  if (forwarder?.pid !== undefined) for (const pid of [...descendants(forwarder.pid).reverse(), forwarder.pid]) tryKill(pid);
  rmSync(dir, { recursive: true, force: true });
  labHostExec(['rm', '-f', marker]);
});

function hostThrough(knownHosts: string, askTrust: (q: TrustQuestion) => Promise<boolean>): SshHost {
  const config = `Host aio1-lab\n  HostName 127.0.0.1\n  Port ${port}\n  User ${lab.ssh.user}\n  IdentityFile ${lab.ssh.identityFile}\n  IdentitiesOnly yes\n`;
  const target = resolveHost('aio1-lab', config, { home: homedir(), localUser: 'root' });
  return new SshHost({ target: { ...target, userKnownHostsFiles: [knownHosts] }, askTrust, secrets: new FakeSecrets(), logger: new RecordingLogger(), home: homedir() });
}

test('changed host key: HostKeyMismatchError naming both fingerprints, not asked, nothing run', async () => {
  const [, keyType, key] = lab.ssh.knownHostsLine.split(' ');
  const knownHosts = join(dir, 'known_hosts_recorded');
  // The alias's recorded key is the lab's real one; the server now presents another.
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${keyType} ${key}\n`);
  const questions: TrustQuestion[] = [];
  const host = hostThrough(knownHosts, async (q) => (questions.push(q), true));
  const error = await host.exec(`touch ${marker}`).then(() => assert.fail('a changed host key was accepted'), (e: unknown) => e);
  host.dispose();
  assert.ok(error instanceof HostKeyMismatchError, String(error));
  assert.equal(error.expectedFingerprint, lab.ssh.hostKeyFingerprint);
  assert.equal(error.actualFingerprint, swappedFingerprint);
  assert.match(error.message, /ssh-keygen -R/);
  assert.deepEqual(questions, [], 'a changed key is refused, never offered for trust');
  assert.equal(labHostExec(['sh', '-c', `[ -e ${marker} ] && echo present || echo absent`]).trim(), 'absent');
  assert.equal(readFileSync(knownHosts, 'utf8'), `[127.0.0.1]:${port} ${keyType} ${key}\n`, 'known_hosts untouched');
});

test('unknown host key: asked with its SHA256 fingerprint; refused runs nothing; accepted is recorded and not asked again', async () => {
  const knownHosts = join(dir, 'known_hosts_empty');
  const questions: TrustQuestion[] = [];
  const refusing = hostThrough(knownHosts, async (q) => (questions.push(q), false));
  await assert.rejects(refusing.exec(`touch ${marker}`), HostKeyRejectedError);
  refusing.dispose();
  assert.deepEqual(questions, [{ host: '127.0.0.1', port, keyType: 'ssh-ed25519', fingerprint: swappedFingerprint }]);
  assert.match(swappedFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.equal(existsSync(knownHosts), false, 'nothing recorded');
  assert.equal(labHostExec(['sh', '-c', `[ -e ${marker} ] && echo present || echo absent`]).trim(), 'absent');

  const accepting = hostThrough(knownHosts, async (q) => (questions.push(q), true));
  assert.equal((await accepting.exec('hostname')).code, 0);
  accepting.dispose();
  const publicKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ')[1];
  assert.equal(readFileSync(knownHosts, 'utf8'), `[127.0.0.1]:${port} ssh-ed25519 ${publicKey}\n`);
  const again = hostThrough(knownHosts, async (q) => (questions.push(q), false));
  assert.equal((await again.exec('true')).code, 0);
  again.dispose();
  assert.equal(questions.length, 2, 'asked once to refuse, once to accept, then never');
  console.log(`host keys: changed key refused (expected ${lab.ssh.hostKeyFingerprint}, got ${swappedFingerprint}); unknown key asked with its SHA256 fingerprint; 0 commands ran unverified`);
});

async function waitForBanner(p: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const banner = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: p });
      socket.setTimeout(2000);
      socket.once('data', (d) => (socket.destroy(), resolve(d.toString())));
      socket.once('error', () => resolve(''));
      socket.once('timeout', () => (socket.destroy(), resolve('')));
    });
    if (banner.startsWith('SSH-2.0-')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the swapped-key sshd did not answer on 127.0.0.1:${p}`);
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // gone already
  }
}
