/**
 * The local end of the debugger's path: 127.0.0.1:<ephemeral> on this machine, tunnelled over the
 * existing SSH connection (direct-tcpip from the OSA host) to <mgmtIp>:<debug port> in the
 * container. No port is opened on the host or the container beyond SSH and the management IP.
 */
import type { AddressInfo, Server } from 'node:net';
import { validateDebugPort, validateListenHost } from './argv';

/** What the tunnel needs of SshHost. */
export interface PortForwarder {
  forwardOut(destHost: string, destPort: number): Promise<Server>;
}

export interface DebugTunnel {
  /** Connect the debugger (or the attach configuration's `connect.port`) here, on 127.0.0.1. */
  readonly localPort: number;
  readonly remote: { readonly host: string; readonly port: number };
  close(): Promise<void>;
}

export async function openDebugTunnel(ssh: PortForwarder, listenHost: string, port: number): Promise<DebugTunnel> {
  const host = validateListenHost(listenHost);
  validateDebugPort(port);
  const server = await ssh.forwardOut(host, port);
  const address = server.address() as AddressInfo | null;
  if (!address || typeof address === 'string') {
    server.close();
    throw new Error('The SSH port forward has no local TCP address.');
  }
  return {
    localPort: address.port,
    remote: { host, port },
    // Stops accepting; a debugger still connected keeps its channel until it disconnects.
    close: async () => {
      if (server.listening) server.close();
    },
  };
}
