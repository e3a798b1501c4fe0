export const USAGE = `usage: osa-dev containers HOST [--json] [--ssh-config FILE] [--known-hosts FILE] [--verbose]

  containers HOST   list HOST's containers grouped by OpenStack service (one SSH round trip)
  HOST              an alias from the SSH config, or user@address:port
`;

export interface CliOptions {
  readonly command: 'containers' | 'help';
  readonly host: string;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly sshConfig?: string;
  readonly knownHosts?: string;
}

export class CliUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = 'CliUsageError';
  }
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const positional: string[] = [];
  let json = false;
  let verbose = false;
  let sshConfig: string | undefined;
  let knownHosts: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new CliUsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--json') json = true;
    else if (arg === '--verbose' || arg === '-v') verbose = true;
    else if (arg === '--ssh-config') sshConfig = value();
    else if (arg === '--known-hosts') knownHosts = value();
    else if (arg === '--help' || arg === '-h') return { command: 'help', host: '', json, verbose };
    else if (arg.startsWith('-')) throw new CliUsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [command, host, ...rest] = positional;
  if (command === undefined || command === 'help') return { command: 'help', host: '', json, verbose };
  if (command !== 'containers') throw new CliUsageError(`unknown command ${command}`);
  if (host === undefined) throw new CliUsageError('containers needs a HOST');
  if (rest.length > 0) throw new CliUsageError(`unexpected arguments: ${rest.join(' ')}`);
  return {
    command,
    host,
    json,
    verbose,
    ...(sshConfig === undefined ? {} : { sshConfig }),
    ...(knownHosts === undefined ? {} : { knownHosts }),
  };
}
