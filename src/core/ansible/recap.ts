/**
 * Reading what ansible-playbook printed: the PLAY RECAP table and, for the hosts that failed, the
 * task that failed and its message. Pure; tested on output recorded from real ansible-playbook runs
 * (test/fixtures/ansible). Works on plain or coloured output and on PTY line endings.
 */

export interface HostRecap {
  readonly host: string;
  readonly ok: number;
  readonly changed: number;
  readonly unreachable: number;
  readonly failed: number;
  readonly skipped: number;
  readonly rescued: number;
  readonly ignored: number;
}

export interface TaskFailure {
  readonly host: string;
  readonly task: string;
  readonly message: string;
  readonly unreachable: boolean;
}

export interface PlaybookOutcome {
  /** The last PLAY RECAP in the output; empty when ansible stopped before running any play. */
  readonly recap: readonly HostRecap[];
  /** The last failure of each host that the recap counts as failed or unreachable. */
  readonly failures: readonly TaskFailure[];
  /** An `ERROR! …` line: ansible refused to start (missing playbook, no hosts matched, syntax). */
  readonly error?: string;
  readonly succeeded: boolean;
}

const COUNTERS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;
// CSI sequences (colours) and bare carriage returns from a PTY.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const RECAP_HEADER = /^PLAY RECAP \**\s*$/;
const RECAP_LINE = /^(\S+)\s*:\s+((?:[a-z]+=\d+\s*)+)$/;
const TASK_HEADER = /^(?:TASK|RUNNING HANDLER) \[(.*)\] \**\s*$/;
const FATAL_LINE = /^fatal: \[([^\]]+)\]: (FAILED|UNREACHABLE)! => (.*)$/;

export function plainLines(output: string): string[] {
  return output.replace(ANSI, '').replace(/\r\n?/g, '\n').split('\n');
}

/** Every PLAY RECAP block, in order (one per ansible-playbook run in a concatenated log). */
export function parseRecaps(output: string): HostRecap[][] {
  const blocks: HostRecap[][] = [];
  let current: HostRecap[] | undefined;
  for (const line of plainLines(output)) {
    if (RECAP_HEADER.test(line)) {
      current = [];
      blocks.push(current);
      continue;
    }
    if (!current) continue;
    const host = parseRecapLine(line);
    if (host) current.push(host);
    else if (line.trim() !== '') current = undefined; // the table ends at the first other line
  }
  return blocks;
}

function parseRecapLine(line: string): HostRecap | undefined {
  const match = RECAP_LINE.exec(line.trimEnd());
  if (!match) return undefined;
  const counts = new Map<string, number>();
  for (const pair of match[2]!.trim().split(/\s+/)) {
    const [key, value] = pair.split('=');
    counts.set(key!, Number(value));
  }
  if (!counts.has('ok') || !counts.has('failed')) return undefined;
  const recap = { host: match[1]! } as Record<string, number | string>;
  for (const key of COUNTERS) recap[key] = counts.get(key) ?? 0;
  return recap as unknown as HostRecap;
}

/** What a run of ansible-playbook came to, from its output and exit code. */
export function summarizePlaybookRun(output: string, exitCode: number | null): PlaybookOutcome {
  const lines = plainLines(output);
  const recap = parseRecaps(output).at(-1) ?? [];
  const error = lines.find((line) => line.startsWith('ERROR! '))?.slice('ERROR! '.length).trim();
  const lastFailure = new Map<string, TaskFailure>();
  let task = '';
  lines.forEach((line, index) => {
    const header = TASK_HEADER.exec(line);
    if (header) {
      task = header[1]!;
      return;
    }
    const fatal = FATAL_LINE.exec(line);
    if (!fatal) return;
    if (lines[index + 1]?.trim() === '...ignoring') return;
    lastFailure.set(fatal[1]!, {
      host: fatal[1]!,
      task,
      message: failureMessage(fatal[3]!),
      unreachable: fatal[2] === 'UNREACHABLE',
    });
  });
  const badHosts = recap.filter((host) => host.failed > 0 || host.unreachable > 0).map((host) => host.host);
  const failures = badHosts.flatMap((host) => {
    const failure = lastFailure.get(host);
    return failure ? [failure] : [{ host, task: '', message: 'failed (no task output found)', unreachable: false }];
  });
  const succeeded = exitCode === 0 && error === undefined && failures.length === 0;
  return { recap, failures, ...(error === undefined ? {} : { error }), succeeded };
}

/** The `msg` of ansible's result JSON when it parses, else the raw text (shortened). */
function failureMessage(resultText: string): string {
  try {
    const result = JSON.parse(resultText) as { msg?: unknown; stderr?: unknown };
    const stderr = typeof result.stderr === 'string' && result.stderr.trim() ? ` (${result.stderr.trim()})` : '';
    if (typeof result.msg === 'string') return shorten(result.msg + stderr);
  } catch {
    // not JSON (ansible's YAML callback, or a truncated line): show it as it is
  }
  return shorten(resultText);
}

function shorten(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line per host for a summary notification: `aio1: ok 12, changed 3, failed 1`. */
export function formatRecap(recap: readonly HostRecap[]): string {
  return recap
    .map((host) => {
      const extra = COUNTERS.filter((key) => key !== 'ok' && key !== 'changed' && host[key] > 0).map(
        (key) => `${key} ${host[key]}`,
      );
      return `${host.host}: ${['ok ' + host.ok, 'changed ' + host.changed, ...extra].join(', ')}`;
    })
    .join('\n');
}
