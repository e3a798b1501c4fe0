import type { Client, ClientChannel } from 'ssh2';
import type { PtyOptions } from '../process/types';
import type { ChannelCounter } from './channelCounter';

export interface Subscription {
  dispose(): void;
}

export interface PtyExit {
  readonly code: number | null;
  readonly signal?: string;
}

/** An interactive terminal channel (for a VS Code Pseudoterminal). */
export interface PtySession {
  write(data: string | Uint8Array): void;
  resize(rows: number, cols: number): void;
  /** Output (stdout and stderr are merged by the PTY); data arriving before the first listener is kept. */
  onData(listener: (chunk: Uint8Array) => void): Subscription;
  /** Fires once when the channel closes (code null when the connection dropped). */
  onExit(listener: (exit: PtyExit) => void): Subscription;
  close(): void;
}

/** Opens `commandLine` (or the login shell when empty) on a PTY channel. */
export function openPtyChannel(client: Client, commandLine: string, options: PtyOptions, counter: ChannelCounter): Promise<PtySession> {
  const window = { rows: options.rows, cols: options.cols, term: options.term ?? 'xterm-256color' };
  return new Promise((resolve, reject) => {
    const opened = (error: Error | undefined, channel: ClientChannel): void => {
      if (error) {
        reject(error);
        return;
      }
      resolve(new ChannelPty(channel, counter.opened()));
    };
    if (commandLine === '') {
      client.shell(window, opened);
    } else {
      client.exec(commandLine, { pty: window }, opened);
    }
  });
}

class ChannelPty implements PtySession {
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly exitListeners = new Set<(exit: PtyExit) => void>();
  private early: Buffer[] | undefined = [];
  private exit: PtyExit | undefined;
  private exitInfo: PtyExit = { code: null };

  constructor(
    private readonly channel: ClientChannel,
    closed: () => void,
  ) {
    const onChunk = (chunk: Buffer): void => {
      if (this.early) this.early.push(chunk);
      else for (const listener of this.dataListeners) listener(chunk);
    };
    channel.on('data', onChunk);
    channel.stderr.on('data', onChunk);
    channel.on('exit', (code: number | null, signal?: string) => {
      this.exitInfo = signal ? { code, signal } : { code };
    });
    channel.once('close', () => {
      closed();
      this.exit = this.exitInfo;
      for (const listener of this.exitListeners) listener(this.exitInfo);
    });
  }

  write(data: string | Uint8Array): void {
    if (this.exit === undefined) this.channel.write(data);
  }

  resize(rows: number, cols: number): void {
    if (this.exit === undefined) this.channel.setWindow(rows, cols, 0, 0);
  }

  onData(listener: (chunk: Uint8Array) => void): Subscription {
    this.dataListeners.add(listener);
    const early = this.early;
    if (early) {
      this.early = undefined;
      for (const chunk of early) listener(chunk);
    }
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  onExit(listener: (exit: PtyExit) => void): Subscription {
    if (this.exit !== undefined) {
      listener(this.exit);
      return { dispose: () => undefined };
    }
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  close(): void {
    if (this.exit === undefined) this.channel.close();
  }
}
