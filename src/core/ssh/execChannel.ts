import { randomBytes } from 'node:crypto';
import type { Client, ClientChannel } from 'ssh2';
import type { ExecOptions, ExecResult } from '../process/types';
import { quoteArg } from '../shell/quote';
import type { ChannelCounter } from './channelCounter';
import { CommandCancelledError } from './errors';

/**
 * Runs one command line on its own channel, streaming output and honouring `signal`. `onOpened`
 * is called once the server accepted the channel: before that, the command has not started.
 */
export function runExec(client: Client, commandLine: string, options: ExecOptions, counter: ChannelCounter, onOpened?: () => void): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const abortSignal = options.signal;
    if (abortSignal?.aborted) {
      reject(new CommandCancelledError(commandLine));
      return;
    }
    const pty = options.pty ? { pty: { rows: options.pty.rows, cols: options.pty.cols, term: options.pty.term ?? 'xterm-256color' } } : {};
    const tag = abortSignal ? `osa-dev-job-${randomBytes(8).toString('hex')}` : undefined;
    // A cancellable command carries a no-op tag so the job can be found and killed server-side.
    const line = tag === undefined ? commandLine : `: ${tag}\n${commandLine}`;
    client.exec(line, pty, (error, channel) => {
      if (error) {
        reject(error);
        return;
      }
      onOpened?.();
      const closed = counter.opened();
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let exitSignal: string | undefined;
      let cancelled = false;
      const onAbort = (): void => {
        cancelled = true;
        cancelChannel(client, channel, options.pty !== undefined, tag ?? '', counter).finally(() =>
          reject(new CommandCancelledError(commandLine)),
        );
      };
      channel.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        options.onStdout?.(chunk);
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        options.onStderr?.(chunk);
      });
      channel.on('exit', (exitCode: number | null, signalName?: string) => {
        code = exitCode;
        if (signalName) exitSignal = signalName;
      });
      channel.once('close', () => {
        closed();
        abortSignal?.removeEventListener('abort', onAbort);
        if (cancelled) return;
        resolve({
          code,
          ...(exitSignal ? { signal: exitSignal } : {}),
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        });
      });
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      if (abortSignal?.aborted) {
        onAbort();
        return;
      }
      if (options.stdin !== undefined) channel.write(options.stdin);
      if (!options.pty) channel.end();
    });
  });
}

/**
 * Ends a running command: the SSH `signal` request (OpenSSH >= 8.1 signals the process group, but
 * refuses for root logins, where privilege separation is off), Ctrl-C for a PTY, and a second
 * exec that sends SIGTERM to the tagged job's process group; then the channel is closed.
 */
async function cancelChannel(client: Client, channel: ClientChannel, isPty: boolean, tag: string, counter: ChannelCounter): Promise<void> {
  try {
    sendSignal(channel, 'TERM');
    if (isPty && channel.writable) channel.write('\x03');
    if (tag !== '') await killTaggedJob(client, tag, counter);
  } finally {
    channel.close();
  }
}

function killTaggedJob(client: Client, tag: string, counter: ChannelCounter): Promise<void> {
  // "[o]sa-..." matches the job's shell but not this killer's own command line.
  const pattern = quoteArg(`[${tag[0]}]${tag.slice(1)}`);
  const killLine = `for pid in $(pgrep -f ${pattern}); do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"; done; true`;
  return new Promise((resolve) => {
    client.exec(killLine, (error, killer) => {
      if (error) {
        resolve();
        return;
      }
      const closed = counter.opened();
      killer.resume();
      killer.stderr.resume();
      killer.end();
      killer.once('close', () => {
        closed();
        resolve();
      });
    });
  });
}

interface ChannelInternals {
  readonly outgoing?: { readonly id: number; readonly state: string };
  readonly _client?: { readonly _protocol?: { signal(channelId: number, name: string): void } };
}

// ssh2's channel.signal() silently does nothing once stdin was ended (`writable` false), which is
// always the case for a non-PTY exec; the protocol call underneath has no such restriction.
function sendSignal(channel: ClientChannel, name: string): void {
  const internals = channel as unknown as ChannelInternals;
  const protocol = internals._client?._protocol;
  const outgoing = internals.outgoing;
  if (outgoing !== undefined && (outgoing.state === 'open' || outgoing.state === 'eof') && protocol !== undefined) {
    protocol.signal(outgoing.id, name);
  } else {
    channel.signal(name);
  }
}
