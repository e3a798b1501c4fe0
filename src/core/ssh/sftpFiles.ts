import { randomBytes } from 'node:crypto';
import type { Client, SFTPWrapper } from 'ssh2';
import type { ChannelCounter } from './channelCounter';

/** Opens an SFTP channel for one piece of work and always closes it afterwards. */
export function withSftp<T>(client: Client, counter: ChannelCounter, work: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) {
        reject(error);
        return;
      }
      const closed = counter.opened();
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
      // Settle only once the channel is really closed, so callers never see a lingering channel.
      sftp.once('close', () => {
        closed();
        if (outcome === undefined) reject(new Error('The SFTP channel closed unexpectedly.'));
        else if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      });
      work(sftp)
        .then(
          (value) => (outcome = { ok: true, value }),
          (error: unknown) => (outcome = { ok: false, error }),
        )
        .finally(() => sftp.end());
    });
  });
}

export function sftpReadFile(sftp: SFTPWrapper, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sftp.readFile(path, (error, data) => (error ? reject(withPath(error, 'read', path)) : resolve(data)));
  });
}

/** Writes a sibling temp file with `mode`, then renames it over `path` so readers never see half a file. */
export async function sftpWriteFileAtomic(sftp: SFTPWrapper, path: string, data: Uint8Array, mode: number): Promise<void> {
  const tmp = `${path}.osa-dev-${randomBytes(6).toString('hex')}.tmp`;
  try {
    await call((cb) => sftp.writeFile(tmp, Buffer.from(data), { mode }, cb), 'write', tmp);
    await call((cb) => sftp.chmod(tmp, mode, cb), 'chmod', tmp); // the server's umask applied to open()
    await call((cb) => sftp.ext_openssh_rename(tmp, path, cb), 'rename', path);
  } catch (error) {
    await new Promise<void>((resolve) => sftp.unlink(tmp, () => resolve()));
    throw error;
  }
}

function call(start: (cb: (error?: Error | null) => void) => void, verb: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => start((error) => (error ? reject(withPath(error, verb, path)) : resolve())));
}

function withPath(error: Error, verb: string, path: string): Error {
  return new Error(`SFTP ${verb} ${path} failed: ${error.message}`, { cause: error });
}
