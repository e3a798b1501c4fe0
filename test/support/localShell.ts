/**
 * A ShellRunner that runs command lines in a local `sh`: the host-side scripts (journal, lock) run
 * for real in unit tests, against a temporary directory, without the lab.
 */
import { spawn } from 'node:child_process';
import type { ExecOptions, ExecResult, ShellRunner } from '../../src/core/process/types';

export class LocalShell implements ShellRunner {
  /** Every command line run, in order (round trips, as a remote host would see them). */
  readonly lines: string[] = [];

  exec(commandLine: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.lines.push(commandLine);
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', commandLine], { stdio: ['pipe', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', reject);
      child.on('close', (code, signal) =>
        resolve({ code, ...(signal ? { signal } : {}), stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }),
      );
      child.stdin.end(options.stdin === undefined ? undefined : Buffer.from(options.stdin));
    });
  }
}
