// Built on ssh2 directly rather than node-ssh: we need the raw host key in hostVerifier, an
// authHandler for passphrase prompts, channel.signal()/setWindow(), and a forwarded stream as
// `sock` for ProxyJump — node-ssh hides or reshapes all of these.
import type { Server } from 'node:net';
import type { ClientChannel } from 'ssh2';
import type { Logger } from '../log';
import type { ExecOptions, ExecResult, PtyOptions, ShellRunner } from '../process/types';
import { ChannelCounter } from './channelCounter';
import { connectChain, destinationOf } from './connectClient';
import { ConnectionLostError, HostDisposedError, NodeUnreachableError } from './errors';
import { validateHostName } from './hostSpec';
import { runExec } from './execChannel';
import { HostKeyVerifier, type AskTrust } from './hostKeyVerifier';
import { LiveConnection } from './liveConnection';
import { listenForward } from './portForward';
import { openPtyChannel, type PtySession } from './ptySession';
import type { ResolvedHost } from './resolveHost';
import type { SecretProvider } from './secrets';
import { sftpReadFile, sftpWriteFileAtomic, withSftp } from './sftpFiles';

export interface SshHostOptions {
  readonly target: ResolvedHost;
  readonly askTrust: AskTrust;
  readonly secrets: SecretProvider;
  readonly logger: Logger;
  /** Local home directory, for default identity files. */
  readonly home: string;
  /** The caller passes process.env.SSH_AUTH_SOCK; undefined disables agent auth. */
  readonly agentSocket?: string;
  readonly readyTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
  /** Reached through this host's connection (see `through`), under this name. */
  readonly via?: { readonly host: SshHost; readonly name: string };
}

export interface WriteFileOptions {
  readonly mode?: number;
}

/** One remote host: a single lazily opened connection shared by exec, PTY, SFTP and forwards. */
export class SshHost implements ShellRunner {
  readonly destination: string;
  private live: Promise<LiveConnection> | undefined;
  private readonly counter = new ChannelCounter();
  private readonly verifier: HostKeyVerifier;
  private readonly servers = new Set<Server>();
  private disposed = false;

  constructor(private readonly options: SshHostOptions) {
    this.destination = destinationOf(options.target);
    this.verifier = new HostKeyVerifier(options.askTrust, options.logger);
  }

  /** SSH channels currently open (exec, PTY, SFTP, forwarded sockets). */
  get openChannels(): number {
    return this.counter.open;
  }

  async exec(commandLine: string, options: ExecOptions = {}): Promise<ExecResult> {
    // The command line is logged; stdin may carry secrets and never is.
    this.options.logger.debug(`ssh ${this.destination} $ ${commandLine}`);
    let started = false;
    const attempt = async (): Promise<ExecResult> =>
      (await this.connection()).track(`running \`${commandLine}\``, (client) => runExec(client, commandLine, options, this.counter, () => (started = true)));
    try {
      return await attempt();
    } catch (error) {
      // The connection turned out dead before the command started (a drop not noticed yet):
      // nothing ran, so dial afresh and run it once more. A command cut while running is not retried.
      if (!(error instanceof ConnectionLostError) || started || this.disposed) throw error;
      this.options.logger.info(`ssh ${this.destination}: reconnecting to run a command the dropped connection never started`);
      return attempt();
    }
  }

  /** An interactive PTY running `commandLine`, or the login shell when it is empty. */
  async openPty(commandLine: string, options: PtyOptions): Promise<PtySession> {
    this.options.logger.debug(`ssh ${this.destination} pty $ ${commandLine || '(login shell)'}`);
    const live = await this.connection();
    return live.track('opening a terminal', (client) => openPtyChannel(client, commandLine, options, this.counter));
  }

  async readFile(path: string): Promise<Buffer> {
    this.options.logger.debug(`ssh ${this.destination} sftp read ${path}`);
    const live = await this.connection();
    return live.track(`reading ${path}`, (client) => withSftp(client, this.counter, (sftp) => sftpReadFile(sftp, path)));
  }

  async writeFile(path: string, data: Uint8Array | string, options: WriteFileOptions = {}): Promise<void> {
    this.options.logger.debug(`ssh ${this.destination} sftp write ${path}`);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const live = await this.connection();
    await live.track(`writing ${path}`, (client) =>
      withSftp(client, this.counter, (sftp) => sftpWriteFileAtomic(sftp, path, bytes, options.mode ?? 0o644)),
    );
  }

  /**
   * Another machine reached through this host's connection (ProxyJump over the SAME connection:
   * a direct-tcpip channel to address:port carries the new SSH session). Its host key is checked
   * like any host's (asked when unknown, refused when changed), with the same identities, agent,
   * known_hosts files and user as this host.
   */
  through(name: string, address: string, port = 22): SshHost {
    const { target } = this.options;
    const hostName = validateHostName(address, `the address of ${name}`);
    return new SshHost({ ...this.options, target: { ...target, alias: name, hostName, port, proxyJump: [] }, via: { host: this, name } });
  }

  /** A direct-tcpip channel from this host to destHost:destPort (the socket of a host reached through this one). */
  async openStream(destHost: string, destPort: number): Promise<ClientChannel> {
    const live = await this.connection();
    return live.track(`opening a connection to ${destHost}:${destPort}`, (client) =>
      new Promise<ClientChannel>((resolve, reject) => {
        client.forwardOut('127.0.0.1', 0, destHost, destPort, (error, stream) => {
          if (error) {
            reject(error);
            return;
          }
          const closed = this.counter.opened();
          stream.once('close', closed);
          resolve(stream);
        });
      }),
    );
  }

  /** A local 127.0.0.1:<ephemeral> server tunnelled to destHost:destPort on the remote side; closed on dispose. */
  async forwardOut(destHost: string, destPort: number): Promise<Server> {
    this.ensureOpen();
    const server = await listenForward(
      async () => (await this.connection()).client,
      destHost,
      destPort,
      this.counter,
      this.options.logger,
    );
    this.servers.add(server);
    server.once('close', () => this.servers.delete(server));
    return server;
  }

  dispose(): void {
    this.disposed = true;
    for (const server of this.servers) server.close();
    this.servers.clear();
    const live = this.live;
    this.live = undefined;
    live?.then((connection) => connection.close(), () => undefined);
  }

  private connection(): Promise<LiveConnection> {
    this.ensureOpen();
    if (this.live === undefined) {
      const { target, logger } = this.options;
      const attempt: Promise<LiveConnection> = connectChain(target, {
        verifier: this.verifier,
        secrets: this.options.secrets,
        ...(this.options.agentSocket ? { agentSocket: this.options.agentSocket } : {}),
        home: this.options.home,
        logger,
        readyTimeoutMs: this.options.readyTimeoutMs ?? 20_000,
        keepaliveIntervalMs: this.options.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: this.options.keepaliveCountMax ?? 3,
        ...(this.options.via
          ? { tunnel: (host: string, port: number) => this.tunnelVia(host, port), through: { name: this.options.via.name, via: this.options.via.host.destination } }
          : {}),
      }).then((chain) => {
        const live = new LiveConnection(chain, this.destination, logger, () => {
          if (this.live === attempt) this.live = undefined;
        });
        if (this.disposed) live.close();
        return live;
      });
      attempt.catch(() => {
        if (this.live === attempt) this.live = undefined;
      });
      this.live = attempt;
    }
    return this.live;
  }

  private async tunnelVia(host: string, port: number): Promise<ClientChannel> {
    const via = this.options.via!;
    try {
      return await via.host.openStream(host, port);
    } catch (error) {
      // Only the channel refused by the deployment host is about the node; the deployment host's
      // own failures (unreachable, host key, connection lost) are reported as they are.
      if (!(error instanceof Error) || typeof (error as { reason?: unknown }).reason !== 'number') throw error;
      throw new NodeUnreachableError(via.name, host, port, via.host.destination, error.message.replace(/^\(SSH\) Channel open failure: /, ''));
    }
  }

  private ensureOpen(): void {
    if (this.disposed) throw new HostDisposedError(this.destination);
  }
}
