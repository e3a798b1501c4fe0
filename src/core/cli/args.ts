import { shownValue } from '../text/shownValue';

export const USAGE = `usage: osa-dev COMMAND HOST [CONTAINER] [options]

  containers HOST                 list HOST's containers grouped by service (one SSH round trip)
  status HOST                     containers in dev mode on HOST, from the journals on the host
  develop HOST CONTAINER          the dev loop: isolate, stop, code, deps, db_sync, run
      --unit UNIT                 the unit to develop (default: the service's first unit in the container)
      --git URL --ref REF         code from a git repository the container can reach
      --path DIR                  code already in the container
                                  (neither: the kolla_dev_mode checkout /dev-mode/<project>, if mounted)
      --index-url URL             enable this package index in pip.conf (restored afterwards)
      --force-db-sync             run db_sync even when the migrations did not change
      --run                       then run the dev process in the foreground here (Ctrl-C stops it)
  restore HOST CONTAINER          Restore production from the journal [--take-over]
      --take-over                 (develop, restore) take the lock from another holder; not needed when
                                  it is an osa-dev run or window of this machine whose process has exited

  common: --ssh-config FILE  --known-hosts FILE  --json  --verbose
  HOST is an alias from the SSH config, or user@address:port. Unknown host keys are refused:
  the CLI has nobody to ask, so add the key to known_hosts first (e.g. with ssh).
`;

export type CliCommand = 'containers' | 'status' | 'develop' | 'restore' | 'help';

export interface CliOptions {
  readonly command: CliCommand;
  readonly host: string;
  readonly container?: string;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly sshConfig?: string;
  readonly knownHosts?: string;
  readonly unit?: string;
  readonly git?: string;
  readonly ref?: string;
  readonly path?: string;
  readonly indexUrl?: string;
  readonly forceDbSync: boolean;
  readonly run: boolean;
  readonly takeOver: boolean;
}

export class CliUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = 'CliUsageError';
  }
}

const VALUE_OPTIONS: Record<string, keyof CliOptions> = {
  '--ssh-config': 'sshConfig',
  '--known-hosts': 'knownHosts',
  '--unit': 'unit',
  '--git': 'git',
  '--ref': 'ref',
  '--path': 'path',
  '--index-url': 'indexUrl',
};
const FLAGS: Record<string, keyof CliOptions> = {
  '--json': 'json',
  '--verbose': 'verbose',
  '-v': 'verbose',
  '--force-db-sync': 'forceDbSync',
  '--run': 'run',
  '--take-over': 'takeOver',
};
const NEEDS_CONTAINER: ReadonlySet<CliCommand> = new Set(['develop', 'restore']);

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const positional: string[] = [];
  const values: Record<string, string | boolean> = { json: false, verbose: false, forceDbSync: false, run: false, takeOver: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { ...(values as object), command: 'help', host: '' } as CliOptions;
    const valueKey = VALUE_OPTIONS[arg];
    const flagKey = FLAGS[arg];
    if (valueKey) {
      const next = argv[++i];
      if (next === undefined) throw new CliUsageError(`${arg} needs a value`);
      values[valueKey] = next;
    } else if (flagKey) {
      values[flagKey] = true;
    } else if (arg.startsWith('-')) {
      throw new CliUsageError(`unknown option ${shownValue(arg)}`);
    } else {
      positional.push(arg);
    }
  }
  const [command, host, container, ...rest] = positional;
  if (command === undefined || command === 'help') return { ...(values as object), command: 'help', host: '' } as CliOptions;
  if (!['containers', 'status', 'develop', 'restore'].includes(command)) throw new CliUsageError(`unknown command ${shownValue(command)}`);
  if (host === undefined) throw new CliUsageError(`${command} needs a HOST`);
  const cmd = command as CliCommand;
  if (NEEDS_CONTAINER.has(cmd) && container === undefined) throw new CliUsageError(`${command} needs a CONTAINER`);
  if (!NEEDS_CONTAINER.has(cmd) && container !== undefined) throw new CliUsageError(`unexpected argument: ${shownValue(container)}`);
  if (rest.length > 0) throw new CliUsageError(`unexpected arguments: ${shownValue(rest.join(' '))}`);
  // Neither: develop uses the container's kolla_dev_mode checkout, or says what it needs.
  if (cmd === 'develop' && !values['path'] && Boolean(values['git']) !== Boolean(values['ref'])) throw new CliUsageError('develop needs --git URL --ref REF, or --path DIR');
  return { ...(values as object), command: cmd, host, ...(container === undefined ? {} : { container }) } as CliOptions;
}
