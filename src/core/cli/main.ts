import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log';
import { loadHostView } from '../model/loadHostView';
import { LxcRuntime } from '../runtime/lxc/lxcRuntime';
import { resolveHost, SshHost } from '../ssh';
import { parseCliArgs, USAGE, type CliOptions } from './args';

/**
 * `osa-dev`: the core without VS Code, for scripts, benchmarks and people at a terminal.
 * Host keys must already be in known_hosts (there is nobody to ask): unknown keys are refused.
 */
async function main(argv: readonly string[]): Promise<number> {
  const options = parseCliArgs(argv);
  if (options.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const ssh = openHost(options);
  try {
    const view = await loadHostView(ssh, new LxcRuntime({ host: options.host }), stderrLogger(options.verbose));
    if (options.json) {
      process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    } else {
      for (const warning of view.warnings) process.stderr.write(`warning: ${warning}\n`);
      for (const group of view.services) {
        process.stdout.write(`${group.service}\n`);
        for (const c of group.containers) {
          process.stdout.write(`  ${c.name}  ${c.state}  ${c.managementIp ?? '-'}  ${c.units.join(',')}\n`);
        }
      }
    }
    return 0;
  } finally {
    ssh.dispose();
  }
}

function openHost(options: CliOptions): SshHost {
  const home = homedir();
  const configText = readOptional(options.sshConfig ?? join(home, '.ssh', 'config'));
  const target = resolveHost(options.host, configText, { home, localUser: userInfo().username });
  return new SshHost({
    target: options.knownHosts ? { ...target, userKnownHostsFiles: [options.knownHosts] } : target,
    askTrust: async () => false,
    secrets: { get: async () => undefined, store: async () => undefined, ask: async () => undefined },
    logger: stderrLogger(options.verbose),
    home,
    ...(process.env.SSH_AUTH_SOCK ? { agentSocket: process.env.SSH_AUTH_SOCK } : {}),
  });
}

function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (message: string | Error) => {
    if (verbose || level === 'error' || level === 'warn') process.stderr.write(`[${level}] ${String(message)}\n`);
  };
  return { trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`osa-dev: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
