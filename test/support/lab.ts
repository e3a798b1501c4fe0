/**
 * The lab host (test/lab/up.sh) as tests and benchmarks see it: its lab.json, an SshHost connected
 * to it with its recorded host key, and a way to run commands in the lab host's own view.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../src/core/log';
import { resolveHost, SshHost } from '../../src/core/ssh';

export const LAB_JSON = process.env.OSA_LAB_JSON ?? '/var/lib/osa-lab/lab.json';
const REPO = join(__dirname, '..', '..');

export interface LabContainer {
  readonly name: string;
  readonly service: string;
  readonly component: string;
  readonly ip: string;
  readonly units: readonly string[];
}

export interface LabDescription {
  readonly ssh: {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly identityFile: string;
    readonly knownHostsLine: string;
    readonly hostKeyFingerprint: string;
  };
  readonly containers: readonly LabContainer[];
  readonly haproxy: { readonly socket: string; readonly cfg: string; readonly confd: string; readonly frontends: Record<string, string> };
  readonly git: { readonly heatRepoUrl: string };
  readonly venv: string;
}

/** The lab's description, or an error that says how to bring the lab up. */
export function readLab(): LabDescription {
  if (!existsSync(LAB_JSON)) {
    throw new Error(`The lab is not up (${LAB_JSON} is missing): run \`npm run lab:up\` as root.`);
  }
  return JSON.parse(readFileSync(LAB_JSON, 'utf8')) as LabDescription;
}

export interface LabClientFiles {
  readonly dir: string;
  readonly alias: string;
  readonly sshConfig: string;
  readonly knownHosts: string;
}

/**
 * An ssh config with the alias `aio1-lab` and a known_hosts holding the lab's key, in a temp dir;
 * with `nodes` (the default) also the other physical hosts' keys (infra2: a user who trusted their
 * deployment; Develop reaches infra2's HAProxy), else only aio1's (tests about meeting infra2's key).
 */
export function writeLabClientFiles(lab: LabDescription, dir = mkdtempSync(join(tmpdir(), 'osa-lab-client-')), { nodes = true } = {}): LabClientFiles {
  const sshConfig = join(dir, 'config');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(
    sshConfig,
    [
      'Host aio1-lab',
      `  HostName ${lab.ssh.host}`,
      `  Port ${lab.ssh.port}`,
      `  User ${lab.ssh.user}`,
      `  IdentityFile ${lab.ssh.identityFile}`,
      '  IdentitiesOnly yes',
      '',
    ].join('\n'),
  );
  const nodeKeys = nodes ? ((lab as { nodes?: readonly { knownHostsLine: string }[] }).nodes ?? []).map((n) => n.knownHostsLine) : [];
  writeFileSync(knownHosts, [lab.ssh.knownHostsLine, ...nodeKeys].map((line) => `${line}\n`).join(''), { mode: 0o600 });
  return { dir, alias: 'aio1-lab', sshConfig, knownHosts };
}

/** An SshHost for the lab (host key pre-trusted; any unknown key is refused). */
export function connectLab(lab: LabDescription = readLab(), logger: Logger = silentLogger): SshHost {
  // With the other physical hosts' keys: its engine may reach infra2's HAProxy through it.
  return connectWithFiles(writeLabClientFiles(lab), logger);
}

/** An SshHost for one of the lab's sshds (the AIO host, the fresh deploy host), its key pre-trusted. */
export function connectLabSsh(ssh: Omit<LabDescription['ssh'], 'hostKeyFingerprint'>, logger: Logger = silentLogger): SshHost {
  return connectWithFiles(writeLabClientFiles({ ssh } as LabDescription), logger);
}

function connectWithFiles(files: LabClientFiles, logger: Logger): SshHost {
  const target = resolveHost(files.alias, readFileSync(files.sshConfig, 'utf8'), { home: homedir(), localUser: 'root' });
  return new SshHost({
    target: { ...target, userKnownHostsFiles: [files.knownHosts] },
    askTrust: async () => false,
    secrets: { get: async () => undefined, store: async () => undefined, ask: async () => undefined },
    logger,
    home: homedir(),
  });
}

/** Runs a command as the lab host sees it (its network and mount namespaces), outside of SSH. */
export function labHostExec(argv: readonly string[], input?: string): string {
  return execFileSync('bash', [join(REPO, 'test/lab/host-exec.sh'), ...argv], {
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
}

/**
 * What identifies a running LXC container instance: its init's pid and start time ("stopped" when
 * none), read by `exec` (labHostExec, or nodeHostExec for infra2's).
 */
export function containerInstance(exec: (argv: readonly string[]) => string, name: string): string {
  return exec(['sh', '-c', 'p=$(lxc-info -n "$1" -pH 2>/dev/null) && [ -n "$p" ] && echo "$p $(cut -d" " -f22 /proc/$p/stat)" || echo stopped', 'sh', name]).trim();
}
