import type { Client } from 'ssh2';
import type { Logger } from '../log';
import type { ClientChain } from './connectClient';
import { ConnectionLostError } from './errors';

/**
 * One established connection (plus its jump hosts). When it drops, every operation still running
 * on it rejects with ConnectionLostError and `onGone` lets the owner dial afresh next time.
 */
export class LiveConnection {
  private readonly pending = new Set<(reason: string) => void>();
  private closedReason: string | undefined;

  constructor(
    private readonly chain: ClientChain,
    private readonly destination: string,
    private readonly logger: Logger,
    private readonly onGone: () => void,
  ) {
    let lastError: string | undefined;
    const lost = (): void => this.markLost(lastError ?? 'the server closed the connection');
    chain.client.on('error', (error: Error) => {
      lastError = error.message;
      this.logger.warn(`ssh ${destination}: ${error.message}`);
    });
    chain.client.once('end', lost);
    chain.client.once('close', lost);
    for (const jump of chain.jumps) {
      jump.on('error', (error: Error) => (lastError = `jump host: ${error.message}`));
      jump.once('close', () => {
        lost();
        chain.client.end();
      });
    }
  }

  get client(): Client {
    return this.chain.client;
  }

  get isClosed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Runs `work`, rejecting with ConnectionLostError if the connection drops before it settles. */
  track<T>(during: string, work: (client: Client) => Promise<T>): Promise<T> {
    if (this.closedReason !== undefined) {
      return Promise.reject(new ConnectionLostError(this.destination, during, this.closedReason));
    }
    return new Promise<T>((resolve, reject) => {
      const onLost = (reason: string): void => reject(new ConnectionLostError(this.destination, during, reason));
      this.pending.add(onLost);
      work(this.chain.client)
        .then(resolve, reject)
        .finally(() => this.pending.delete(onLost));
    });
  }

  close(): void {
    this.markLost('closed by OSA Dev');
    this.chain.client.end();
    for (const jump of this.chain.jumps) jump.end();
  }

  private markLost(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.logger.info(`ssh ${this.destination}: connection closed (${reason})`);
    this.onGone();
    for (const reject of this.pending) reject(reason);
    this.pending.clear();
  }
}
