/**
 * The dev-loop engine against the lab: a journal on the real host, real container files, a real
 * SSH connection cut from the lab side, a real full disk. Every case ends byte-identical.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { silentLogger } from '../../../src/core/log';
import { CancelledError, DevLoopEngine, StepFailedError } from '../../../src/core/devloop/engine';
import { ContainerLockedError, JournalStore, JournalWriteError } from '../../../src/core/devloop/journalStore';
import { readContainerFile, restoreContainerFile, type FileSnapshot } from '../../../src/core/devloop/steps/containerFile';
import { editFileStep } from '../../../src/core/devloop/steps/editFileStep';
import type { Step } from '../../../src/core/devloop/types';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import { shellJoin } from '../../../src/core/shell/quote';
import type { SshHost } from '../../../src/core/ssh';
import { connectLab, labHostExec, readLab } from '../../support/lab';

const runtime = new LxcRuntime();
const holderA = { holder: 'alice@laptop (window 1)', since: '2026-11-25T10:00:00.000Z' };
const holderB = { holder: 'bob@desktop (window 7)', since: '2026-11-25T10:05:00.000Z' };
const FILE_A = '/etc/osa-dev-test/a.conf';
const FILE_B = "/etc/osa-dev-test/it's b.conf";
let container: string;
let ssh: SshHost;
let baseline: string;

/** sha256, mode and owner of the test files, and the journal/lock files: what "unchanged" means. */
function fingerprint(): string {
  const script = `cd /var/lib/lxc/${container}/rootfs 2>/dev/null; for f in ${['.' + FILE_A, `'.${FILE_B.replace(/'/g, `'\\''`)}'`].join(' ')}; do if [ -e "$f" ]; then stat -c '%n %a %u:%g' "$f"; sha256sum < "$f"; else echo "absent $f"; fi; done; ls -a /var/lib/osa-dev 2>/dev/null | grep "${container}" || true`;
  return labHostExec(['sh', '-c', script]);
}

function engine(host = ssh, holder = holderA, store = new JournalStore(host)): DevLoopEngine {
  return new DevLoopEngine({ host, runtime, store, container, holder, logger: silentLogger });
}

const steps = (): Step[] => [editFileStep(FILE_A, Buffer.from('dev = true\n')), editFileStep(FILE_B, Buffer.from([0, 1, 2, 255]))];

before(async () => {
  container = readLab().containers.find((c) => c.service === 'utility')!.name;
  ssh = connectLab();
  // Setup: FILE_A exists with odd mode and owner, FILE_B does not.
  const setup = shellJoin(
    runtime.execArgv(container, ['sh', '-c', 'mkdir -p /etc/osa-dev-test && printf "prod = 1\\n" > "$1" && chmod 640 "$1" && chown 1:2 "$1" && rm -f "$2"', 'sh', FILE_A, FILE_B]),
  );
  assert.equal((await ssh.exec(setup)).code, 0);
  baseline = fingerprint();
});

afterEach(async () => {
  // Whatever a test did, leave the lab as it found it.
  await engine(ssh, holderA).restore(steps(), { takeOverLock: true }).catch(() => undefined);
});

after(async () => {
  await ssh.exec(shellJoin(runtime.execArgv(container, ['rm', '-rf', '/etc/osa-dev-test'])));
  ssh.dispose();
});

test('develop journals on the host (root-only) before changing, restore returns byte-identical', async () => {
  const doc = await engine().develop(steps(), { service: 'utility' });
  assert.deepEqual(doc.steps.map((s) => s.status), ['applied', 'applied']);
  const a = await readContainerFile(ssh, runtime, container, FILE_A);
  assert.equal(a.exists && Buffer.from(a.base64, 'base64').toString(), 'dev = true\n');
  assert.equal(a.exists && a.mode, '640', 'mode kept');
  const perms = labHostExec(['stat', '-c', '%a %U', '/var/lib/osa-dev', `/var/lib/osa-dev/${container}.json`, `/var/lib/osa-dev/${container}.lock`]);
  assert.equal(perms, '700 root\n600 root\n600 root\n');
  const journal = await new JournalStore(ssh).read(container);
  assert.equal((journal?.steps[0]?.original as FileSnapshot).exists, true);
  assert.equal((journal?.steps[1]?.original as FileSnapshot).exists, false);
  await engine().restore(steps());
  assert.equal(fingerprint(), baseline);
});

test('running develop again is idempotent: every step is already done', async () => {
  await engine().develop(steps(), {});
  const seen: string[] = [];
  await engine().develop(steps(), {}, { onProgress: (e) => seen.push(e.status) });
  assert.deepEqual(seen, ['already-done', 'already-done']);
});

test('a second holder is refused with who holds it and since when; take-over works', async () => {
  await engine(ssh, holderA).develop(steps(), {});
  await assert.rejects(engine(ssh, holderB).develop(steps(), {}), (error: unknown) => {
    assert.ok(error instanceof ContainerLockedError);
    assert.match(error.message, /alice@laptop \(window 1\) since 2026-11-25T10:00:00.000Z/);
    return true;
  });
  await engine(ssh, holderB).restore(steps(), { takeOverLock: true });
  assert.equal(fingerprint(), baseline);
});

test('a step failing half-way is journaled with its original; restore undoes it exactly', async () => {
  const halfWay: Step<FileSnapshot> = {
    ...editFileStep(FILE_B, Buffer.from('x')),
    apply: async (ctx) => {
      await ctx.host.exec(shellJoin(ctx.runtime.execArgv(ctx.container, ['sh', '-c', 'printf half > "$1"', 'sh', FILE_B])));
      throw new Error('pip exploded');
    },
  };
  await assert.rejects(engine().develop([steps()[0]!, halfWay], {}), StepFailedError);
  const journal = await new JournalStore(ssh).read(container);
  assert.deepEqual(journal?.steps.map((s) => s.status), ['applied', 'failed']);
  assert.match(journal?.steps[1]?.error ?? '', /pip exploded/);
  await engine().restore(steps());
  assert.equal(fingerprint(), baseline);
});

test('cancel between steps: resume completes, restore returns to the original', async () => {
  const controller = new AbortController();
  await assert.rejects(
    engine().develop(steps(), {}, { signal: controller.signal, onProgress: (e) => e.status === 'applied' && controller.abort() }),
    CancelledError,
  );
  const resumed = await engine().develop(steps(), {});
  assert.deepEqual(resumed.steps.map((s) => s.status), ['applied', 'applied']);
  await engine().restore(steps());
  assert.equal(fingerprint(), baseline);
});

test('the SSH connection cut mid-step (from the lab side): resume then restore', async () => {
  const slow: Step<FileSnapshot> = {
    ...editFileStep(FILE_B, Buffer.from('slow\n')),
    apply: async (ctx, original) => {
      const cut = setTimeout(() => execFileSync('bash', [join(__dirname, '../../lab/sshd-kill-sessions.sh')]), 300);
      try {
        await ctx.host.exec(shellJoin(ctx.runtime.execArgv(ctx.container, ['sh', '-c', 'printf partial > "$1"; sleep 3', 'sh', FILE_B])));
      } finally {
        clearTimeout(cut);
      }
      await editFileStep(FILE_B, Buffer.from('slow\n')).apply(ctx, original);
    },
  };
  await assert.rejects(engine().develop([steps()[0]!, slow], {}), /connection|lost|closed/i);
  // A new connection (as after a reload) finds the journal and resumes from the recorded original.
  const again = connectLab();
  try {
    const journal = await new JournalStore(again).read(container);
    assert.deepEqual(journal?.steps.map((s) => s.status), ['applied', 'failed']);
    const resumed = await engine(again).develop([steps()[0]!, editFileStep(FILE_B, Buffer.from('slow\n'))], {});
    assert.deepEqual(resumed.steps.map((s) => s.status), ['applied', 'applied']);
    await engine(again).restore(steps());
  } finally {
    again.dispose();
  }
  assert.equal(fingerprint(), baseline);
});

test('a full disk when writing the journal: clear error, and the step did not run', async () => {
  const full = '/var/lib/osa-dev-full';
  labHostExec(['sh', '-c', `mkdir -p ${full} && mount -t tmpfs -o size=8k tmpfs ${full} && dd if=/dev/zero of=${full}/fill bs=1k count=64 2>/dev/null; true`]);
  try {
    await assert.rejects(engine(ssh, holderA, new JournalStore(ssh, full)).develop(steps(), {}), (error: unknown) => {
      assert.ok(error instanceof JournalWriteError, String(error));
      assert.match(error.message, /Nothing was changed/);
      return true;
    });
    assert.equal(fingerprint(), baseline);
  } finally {
    labHostExec(['sh', '-c', `umount ${full}; rmdir ${full}`]);
  }
});

test('restoreContainerFile is idempotent (twice is the same as once)', async () => {
  const original = await readContainerFile(ssh, runtime, container, FILE_A);
  await restoreContainerFile(ssh, runtime, container, original);
  await restoreContainerFile(ssh, runtime, container, original);
  assert.equal(fingerprint(), baseline);
});
