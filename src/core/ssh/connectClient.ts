import { Client, type ClientChannel } from 'ssh2';
import type { Duplex } from 'node:stream';
import { AuthAttempt, type AuthSources } from './authAttempt';
import { AuthenticationError, HostUnreachableError } from './errors';
import { formatDestination } from './hostSpec';
import type { HostKeyVerifier } from './hostKeyVerifier';
import type { ResolvedHost } from './resolveHost';

export interface ConnectOptions extends AuthSources {
  readonly verifier: HostKeyVerifier;
  /** Dial the first hop over this stream instead of TCP: a host reached through another's connection. */
  readonly tunnel?: (host: string, port: number) => Promise<Duplex>;
  /** How that host is named when its key is asked about. */
  readonly through?: { readonly name: string; readonly via: string };
  readonly readyTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
}

/** The target connection plus the jump-host connections it runs through. */
export interface ClientChain {
  readonly client: Client;
  readonly jumps: readonly Client[];
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE']);

export function destinationOf(host: ResolvedHost): string {
  return formatDestination(host.user, host.hostName, host.port);
}

/** Dials each ProxyJump hop through the previous one, then the target; same verification and auth everywhere. */
export async function connectChain(target: ResolvedHost, options: ConnectOptions): Promise<ClientChain> {
  const jumps: Client[] = [];
  try {
    let via: Client | undefined;
    for (const hop of [...target.proxyJump, target]) {
      const sock = via ? await forwardThrough(via, hop, jumps.length) : await options.tunnel?.(hop.hostName, hop.port);
      via = await connectOne(hop, options, sock);
      jumps.push(via);
    }
    const client = jumps.pop() as Client;
    return { client, jumps };
  } catch (error) {
    for (const jump of jumps) jump.end();
    throw error;
  }
}

function forwardThrough(via: Client, hop: ResolvedHost, index: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, hop.hostName, hop.port, (error, stream) => {
      if (error) {
        reject(new HostUnreachableError(destinationOf(hop), `the jump host (hop ${index}) could not open a connection to it: ${error.message}`));
      } else {
        resolve(stream);
      }
    });
  });
}

function connectOne(host: ResolvedHost, options: ConnectOptions, sock?: Duplex): Promise<Client> {
  const destination = destinationOf(host);
  const auth = new AuthAttempt(host, options);
  let verifyFailure: Error | undefined;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      fail(verifyFailure ?? auth.failure ?? mapConnectError(error, destination, auth));
    });
    client.once('close', () => fail(verifyFailure ?? auth.failure ?? new HostUnreachableError(destination, 'the server closed the connection during the handshake')));
    options.logger.debug(`ssh: connecting to ${destination}${sock ? ' through a jump host' : ''}`);
    client.connect({
      host: host.hostName,
      port: host.port,
      ...(sock ? { sock } : {}),
      username: host.user,
      readyTimeout: options.readyTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      authHandler: auth.handler,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void): void => {
        options.verifier
          .verify(host.hostName, host.port, key, {
            knownHostsFiles: host.userKnownHostsFiles,
            strict: host.strictHostKeyChecking,
            ...(sock && options.through ? { through: options.through } : {}),
          })
          .then(
            () => verify(true),
            (error: unknown) => {
              verifyFailure = error instanceof Error ? error : new Error(String(error));
              verify(false);
            },
          );
      },
    });
    // An exec is a few small SSH packets each way: with Nagle on, a second small write waits for
    // the peer's delayed ACK (~40 ms; twice when stdin is sent). Lab: 44 ms per `true` with
    // Nagle, 2 ms without.
    client.setNoDelay(true);
  });
}

function mapConnectError(error: Error & { level?: string; code?: string }, destination: string, auth: AuthAttempt): Error {
  if (error.level === 'client-authentication') return new AuthenticationError(destination, auth.tried);
  if (error.code !== undefined && UNREACHABLE_CODES.has(error.code)) return new HostUnreachableError(destination, `${error.code} (${error.message})`);
  if (error.level === 'client-timeout') return new HostUnreachableError(destination, 'no SSH handshake before the timeout');
  return new Error(`SSH connection to ${destination} failed: ${error.message}`);
}
