/**
 * A throwaway OpenSSH sshd on 127.0.0.1:<free port> for integration tests: its own host key,
 * its own authorized client keys, no passwords, no PAM. It runs under `unshare --mount` with an
 * empty file bound over ~/.bashrc, because root's .bashrc runs `pyenv init` (slow, noisy) in
 * every non-interactive ssh session.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClientKey {
  readonly path: string;
  readonly publicLine: string;
}

export interface TestSshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly dir: string;
  /** Authorized, unencrypted ed25519 client key. */
  readonly clientKey: ClientKey;
  /** Authorized ed25519 client key encrypted with `passphrase`. */
  readonly encryptedKey: ClientKey;
  readonly passphrase: string;
  /** A key the server does not accept. */
  readonly strangerKey: ClientKey;
  /** `[127.0.0.1]:port type base64` for the current host key. */
  knownHostsLine(): string;
  hostFingerprint(): string;
  /** Restarts on the same port with a newly generated host key. */
  restartWithNewHostKey(): Promise<void>;
  /** Kills the per-connection sshd processes: clients see the connection drop. */
  killConnections(): void;
  /** Processes below the listening sshd (sessions, shells, commands). */
  descendantCount(): number;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

export async function startSshd(): Promise<TestSshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: apt-get install -y openssh-server`);
  mkdirSync('/run/sshd', { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'osa-sshd-'));
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  const clientKey = keygen(join(dir, 'client_ed25519'), '');
  const passphrase = 'correct horse battery staple';
  const encryptedKey = keygen(join(dir, 'client_encrypted'), passphrase);
  const strangerKey = keygen(join(dir, 'stranger_ed25519'), '');
  writeFileSync(join(dir, 'authorized_keys'), `${clientKey.publicLine}\n${encryptedKey.publicLine}\n`, { mode: 0o600 });
  const emptyRc = join(dir, 'empty_bashrc');
  writeFileSync(emptyRc, '');
  const port = await freePort();
  const state = { child: undefined as ChildProcess | undefined, stderr: '' };

  const writeHostKey = (): void => {
    rmSync(join(dir, 'host_ed25519'), { force: true });
    rmSync(join(dir, 'host_ed25519.pub'), { force: true });
    keygen(join(dir, 'host_ed25519'), '');
  };
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_ed25519')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin yes',
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding yes',
      'MaxSessions 200',
      'MaxStartups 100',
      `LogLevel ${process.env.SSHD_LOGLEVEL ?? 'VERBOSE'}`,
      'Subsystem sftp /usr/lib/openssh/sftp-server',
      '',
    ].join('\n'),
  );
  writeHostKey();

  const launch = async (): Promise<void> => {
    const bashrc = join(homedir(), '.bashrc');
    // setpriv --pdeathsig: if the test process dies without stop(), sshd goes with it.
    const run = 'exec setpriv --pdeathsig TERM "$3" -D -e -f "$4"';
    const script = existsSync(bashrc) ? `mount --bind "$1" "$2" && ${run}` : run;
    const child = spawn('unshare', ['--mount', 'sh', '-c', script, 'sh', emptyRc, bashrc, SSHD, config], {
      stdio: ["ignore", "ignore", process.env.SSHD_DEBUG ? "inherit" : "pipe"],
    });
    state.child = child;
    state.stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      state.stderr = (state.stderr + chunk.toString()).slice(-20_000);
    });
    await waitForBanner(port, child, () => state.stderr);
  };

  const stopChild = async (): Promise<void> => {
    const child = state.child;
    if (!child || child.exitCode !== null || child.pid === undefined) return;
    for (const pid of descendants(child.pid)) tryKill(pid, 'SIGKILL');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    tryKill(child.pid, 'SIGTERM');
    await exited;
  };

  await launch();
  return {
    host: '127.0.0.1',
    port,
    user,
    dir,
    clientKey,
    encryptedKey,
    passphrase,
    strangerKey,
    knownHostsLine: () => {
      const [type, base64] = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/);
      return `[127.0.0.1]:${port} ${type} ${base64}`;
    },
    hostFingerprint: () => execFileSync('ssh-keygen', ['-lf', join(dir, 'host_ed25519.pub')], { encoding: 'utf8' }).split(/\s+/)[1] ?? '',
    restartWithNewHostKey: async () => {
      await stopChild();
      writeHostKey();
      await launch();
    },
    killConnections: () => {
      const pid = state.child?.pid;
      if (pid === undefined) return;
      for (const child of childrenOf(pid)) tryKill(child, 'SIGKILL');
    },
    descendantCount: () => (state.child?.pid === undefined ? 0 : descendants(state.child.pid).length),
    stop: async () => {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function keygen(path: string, passphrase: string): ClientKey {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'osa-dev-test', '-f', path]);
  return { path, publicLine: readFileSync(`${path}.pub`, 'utf8').trim() };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForBanner(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${stderr()}`);
    const banner = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.setTimeout(1000);
      socket.once('data', (data) => {
        resolve(data.toString());
        socket.destroy();
      });
      socket.once('error', () => resolve(''));
      socket.once('timeout', () => {
        resolve('');
        socket.destroy();
      });
    });
    if (banner.startsWith('SSH-2.0-')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port} within 10 s:\n${stderr()}`);
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the ")" that closes the command name.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** All processes below `pid`, deepest last. */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = childrenOf(queue.shift() as number);
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
