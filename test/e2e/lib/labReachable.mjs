import * as net from 'node:net';

/** True when the lab's sshd answers on its loopback port within 3 s (lab.json's ssh host/port). */
export function labReachable(lab) {
  if (!lab) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect(lab.ssh.port, lab.ssh.host);
    socket.setTimeout(3000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}
