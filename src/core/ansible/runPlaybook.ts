/**
 * Running one ansible command (a playbook through `openstack-ansible`, or OSA's bootstrap scripts)
 * on a host: output streamed to a terminal as it comes, its tail kept for the PLAY RECAP, coloured
 * as in a terminal. Shared by the all-in-one deployment and Rebuild Container.
 */
import type { ShellRunner } from '../process/types';
import { shellJoin } from '../shell/quote';
import { summarizePlaybookRun, type PlaybookOutcome } from './recap';

export interface AnsibleRunEvents {
  /** Everything the command prints (stdout and stderr, ANSI colours kept), for a terminal. */
  readonly onOutput?: (chunk: Uint8Array) => void;
  readonly signal?: AbortSignal;
}

export interface AnsibleRun {
  readonly code: number | null;
  /** The output's last few MB (enough for any recap), colours kept. */
  readonly output: string;
  readonly cancelled: boolean;
  /** What the output says, read as a playbook run. */
  readonly outcome: PlaybookOutcome;
}

const KEEP_OUTPUT = 4 * 1024 * 1024;

export async function runAnsibleCommand(host: ShellRunner, argv: readonly string[], events: AnsibleRunEvents = {}): Promise<AnsibleRun> {
  const chunks: Buffer[] = [];
  let kept = 0;
  const collect = (chunk: Uint8Array): void => {
    events.onOutput?.(chunk);
    chunks.push(Buffer.from(chunk));
    kept += chunk.length;
    while (kept > KEEP_OUTPUT && chunks.length > 1) kept -= chunks.shift()!.length;
  };
  // ansible colours only a TTY unless forced; unbuffered Python so lines arrive as they happen.
  const line = shellJoin(['env', 'ANSIBLE_FORCE_COLOR=1', 'PYTHONUNBUFFERED=1', ...argv]);
  let code: number | null;
  try {
    code = (await host.exec(line, { onStdout: collect, onStderr: collect, ...(events.signal ? { signal: events.signal } : {}) })).code;
  } catch (error) {
    // A runner may reject a cancelled command (the SSH one does): that is a cancelled run, not a failure.
    if (events.signal?.aborted !== true) throw error;
    code = null;
  }
  const output = Buffer.concat(chunks).toString('utf8');
  return { code, output, cancelled: events.signal?.aborted === true, outcome: summarizePlaybookRun(output, code) };
}

function lastLines(text: string, n: number): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').trimEnd().split('\n').slice(-n).join(' | ');
}

/** Why a command failed, in a sentence: our own `osa-dev:` explanation, else its last lines. */
export function commandFailure(run: AnsibleRun): string {
  const explained = /^osa-dev: (.*)$/m.exec(run.output)?.[1];
  return explained ?? `exit ${run.code ?? 'by signal'}: ${lastLines(run.output, 3)}`;
}

/** Why a playbook failed: ansible's ERROR!, else the first failed task and host, else the last lines. */
export function playbookFailure(run: AnsibleRun): string {
  const { outcome } = run;
  if (outcome.error) return outcome.error;
  const first = outcome.failures[0];
  if (first) {
    const more = outcome.failures.length > 1 ? ` (and ${outcome.failures.length - 1} more host(s))` : '';
    return `${first.unreachable ? 'unreachable' : `task "${first.task}" failed`} on ${first.host}: ${first.message}${more}`;
  }
  return commandFailure(run);
}
