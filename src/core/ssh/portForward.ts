import { createServer, type Server, type Socket } from 'node:net';
import type { Client } from 'ssh2';
import type { Logger } from '../log';
import type { ChannelCounter } from './channelCounter';

/**
 * A local TCP server on 127.0.0.1:<ephemeral>; each accepted socket becomes a direct-tcpip channel
 * to destHost:destPort through `connect()` (the host's shared connection, redialled if it dropped).
 */
export async function listenForward(
  connect: () => Promise<Client>,
  destHost: string,
  destPort: number,
  counter: ChannelCounter,
  logger: Logger,
): Promise<Server> {
  const server = createServer((socket) => {
    forwardSocket(socket, connect, destHost, destPort, counter).catch((error: Error) => {
      logger.warn(`ssh forward to ${destHost}:${destPort} failed: ${error.message}`);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

async function forwardSocket(socket: Socket, connect: () => Promise<Client>, destHost: string, destPort: number, counter: ChannelCounter): Promise<void> {
  socket.pause();
  const client = await connect();
  await new Promise<void>((resolve, reject) => {
    client.forwardOut('127.0.0.1', socket.remotePort ?? 0, destHost, destPort, (error, stream) => {
      if (error) {
        reject(error);
        return;
      }
      const closed = counter.opened();
      stream.once('close', () => {
        closed();
        socket.destroy();
      });
      socket.once('close', () => {
        // Unpiped streams stay paused and ssh2 only emits 'close' after 'end': drain first.
        stream.resume();
        stream.close();
      });
      socket.on('error', () => stream.close());
      stream.on('error', () => socket.destroy());
      socket.pipe(stream).pipe(socket);
      socket.resume();
      resolve();
    });
  });
}
