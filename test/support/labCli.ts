/**
 * The osa-dev CLI (src/core/cli/main.ts, through tsx) run against the lab as a user would: the
 * lab's ssh config alias and known_hosts, its exit code and both streams.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { labHostExec, writeLabClientFiles, type LabClientFiles, type LabDescription } from './lab';

const REPO = join(__dirname, '..', '..');
const run = promisify(execFile);

export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `osa-dev COMMAND aio1-lab ARGS…` against the lab. */
export async function osaDevOnLab(lab: LabDescription, command: string, ...args: string[]): Promise<CliOutcome> {
  return osaDevWith(writeLabClientFiles(lab), command, ...args);
}

/** The same with given client files (e.g. a known_hosts that also holds the second physical host's key). */
export async function osaDevWith(files: LabClientFiles, command: string, ...args: string[]): Promise<CliOutcome> {
  const argv = ['--import', 'tsx', join(REPO, 'src/core/cli/main.ts'), command, files.alias, ...args, '--ssh-config', files.sshConfig, '--known-hosts', files.knownHosts];
  return run(process.execPath, argv, { cwd: REPO, timeout: 300_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof error.code === 'number' ? error.code : 1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
}

/** The same, started and left running (a test can kill it mid-way, as a crashed window would stop). */
export function spawnOsaDev(files: LabClientFiles, command: string, ...args: string[]): ChildProcess {
  const argv = ['--import', 'tsx', join(REPO, 'src/core/cli/main.ts'), command, files.alias, ...args, '--ssh-config', files.sshConfig, '--known-hosts', files.knownHosts];
  return spawn(process.execPath, argv, { cwd: REPO, stdio: 'ignore' });
}

/** The ids of the steps aio1's journal of `container` records as applied ([] without a journal). */
export function appliedSteps(container: string): string[] {
  const text = labHostExec(['sh', '-c', `cat /var/lib/osa-dev/${container}.json 2>/dev/null || true`]);
  if (text.trim() === '') return [];
  return (JSON.parse(text) as { steps: { id: string; status: string }[] }).steps.filter((s) => s.status === 'applied').map((s) => s.id);
}

/**
 * `osa-dev develop CONTAINER ARGS…` killed (SIGKILL: a crashed session) as soon as `killWhen` holds
 * for the steps its journal records as applied; `whileKilled` then looks at the host; Restore from
 * another session (`--take-over`) must succeed, and runs again in any case so the lab is left clean.
 */
export async function developKilled(
  files: LabClientFiles,
  container: string,
  args: readonly string[],
  killWhen: (applied: readonly string[]) => boolean,
  whileKilled: (applied: readonly string[]) => Promise<void>,
): Promise<void> {
  const child = spawnOsaDev(files, 'develop', container, ...args);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const deadline = Date.now() + 60_000;
    while (!killWhen(appliedSteps(container))) {
      assert.ok(Date.now() < deadline, `Develop reached the kill point within 60 s (applied: ${appliedSteps(container).join(', ')})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    await whileKilled(appliedSteps(container));
    const restored = await osaDevWith(files, 'restore', container, '--take-over');
    assert.equal(restored.code, 0, restored.stderr);
  } finally {
    child.kill('SIGKILL');
    await osaDevWith(files, 'restore', container, '--take-over');
  }
}
