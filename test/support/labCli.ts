/**
 * The osa-dev CLI (src/core/cli/main.ts, through tsx) run against the lab as a user would: the
 * lab's ssh config alias and known_hosts, its exit code and both streams.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeLabClientFiles, type LabClientFiles, type LabDescription } from './lab';

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
