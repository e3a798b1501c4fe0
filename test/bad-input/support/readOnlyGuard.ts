/**
 * The runner-level proof that bad input runs nothing the user did not mean: every command line the
 * product sends is split by a real bash and must be one of the read-only commands below; anything
 * else is NOT run (it is recorded as a violation and answered with exit 126), so a validation gap
 * shows up as a failure instead of a changed lab.
 */
import { hostSnapshotScript } from '../../../src/core/model/hostSnapshot';
import type { ExecOptions, ExecResult, ShellRunner } from '../../../src/core/process/types';
import { runtime } from './recordingRunner';
import { shellWords } from './shellWords';

const READ_ONLY_PROGRAMS = new Set(['cat', 'stat', 'test', 'ls', 'lxc-info', 'lxc-ls', 'journalctl', 'true']);
const READ_ONLY_SYSTEMCTL = new Set(['show', 'is-active', 'is-enabled', 'list-unit-files', 'status', 'cat']);
const READ_ONLY_GIT = new Set(['rev-parse', 'log', 'status', 'cat-file', 'ls-remote']);
/** Words that change something when a constant `sh -c` script contains them. */
// `kill -0 PID` only asks whether a process lives, and `n > 0` in awk compares (the debug pre-checks use both).
const MUTATING_SCRIPT = /\b(rm|mv|mkdir|rmdir|chmod|chown|touch|tee|cp|ln|pip|useradd|sed -i)\b|\bkill\b(?!\s+-0\b)|\bgit\b[^\n]*\b(fetch|checkout|init|remote|reset|clone|stash)\b|\bsystemctl\b[^\n]*\b(stop|start|restart|daemon-reload|enable|disable|mask)\b|\b(disable|enable|set) server\b|>>|>(?!\s*(?:&|\/dev\/null|\d+\s*(?:&&|\)|;|\s)))/;

/** Why `argv` is not read-only, or undefined when it is. */
export function notReadOnly(argv: readonly string[]): string | undefined {
  let rest = [...argv];
  if (rest[0] === 'lxc-attach') {
    const end = rest.indexOf('--');
    if (end < 0) return 'lxc-attach without "--"';
    rest = rest.slice(end + 1);
  }
  if (rest[0] === 'runuser') rest = rest.slice(rest.indexOf('--') + 1);
  const [program = '', sub = ''] = rest;
  if (program === 'sh' && sub === '-c') return MUTATING_SCRIPT.test(rest[2] ?? '') ? `a script that changes things: ${(rest[2] ?? '').slice(0, 80)}` : undefined;
  if (READ_ONLY_PROGRAMS.has(program)) return undefined;
  if (program === 'systemctl' && READ_ONLY_SYSTEMCTL.has(sub)) return undefined;
  if (program === 'git' && READ_ONLY_GIT.has(rest.find((w, i) => i > 0 && !w.startsWith('-') && rest[i - 1] !== '-C') ?? '')) return undefined;
  if (program === 'find' && !rest.some((w) => /^-(delete|exec|execdir|ok|fprint)/.test(w))) return undefined;
  if (program.endsWith('/python') && rest.slice(1, 5).join(' ') === '-m pip config debug') return undefined;
  return `not a read-only command: ${program} ${sub}`.trim();
}

export interface GuardedCommand {
  readonly label: string;
  readonly line: string;
  readonly argv?: readonly string[];
  readonly blocked?: string;
}

export class ReadOnlyGuard implements ShellRunner {
  readonly commands: GuardedCommand[] = [];
  /** Which case is running (for the report). */
  label = '';
  private readonly snapshotScript = hostSnapshotScript(runtime.listContainers().argv);

  constructor(
    private readonly inner: ShellRunner,
    private readonly scratch: string,
  ) {}

  get violations(): GuardedCommand[] {
    return this.commands.filter((c) => c.blocked !== undefined);
  }

  async exec(commandLine: string, options?: ExecOptions): Promise<ExecResult> {
    const label = this.label;
    if (commandLine === this.snapshotScript) {
      this.commands.push({ label, line: commandLine });
      return this.inner.exec(commandLine, options);
    }
    const [argv = []] = shellWords([commandLine], this.scratch);
    const blocked = notReadOnly(argv);
    this.commands.push({ label, line: commandLine, argv, ...(blocked ? { blocked } : {}) });
    if (blocked) return { code: 126, stdout: '', stderr: `osa-dev bad-input guard: not run (${blocked})` };
    return this.inner.exec(commandLine, options);
  }
}
