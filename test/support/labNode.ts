/**
 * The lab's second physical host (test/lab/lib/node-host.sh): infra2, reached only through the lab
 * host. Its description in lab.json, SSH to the lab host with a chosen known_hosts (so infra2's key
 * can be known, unknown or wrong), and what "production is back exactly" means on infra2.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/log';
import { resolveHost, SshHost, type AskTrust } from '../../src/core/ssh';
import { writeLabClientFiles, type LabClientFiles, type LabContainer, type LabDescription } from './lab';
import { CONTAINER_SNAPSHOT_SCRIPT, HAPROXY_SNAPSHOT_SCRIPT, HOST_SNAPSHOT_SCRIPT } from './productionSnapshotScripts';

const REPO = join(__dirname, '..', '..');

export interface LabNode {
  readonly name: string;
  readonly ip: string;
  readonly knownHostsLine: string;
  readonly hostKeyFingerprint: string;
  readonly containers: readonly LabContainer[];
}

export function labNode(lab: LabDescription): LabNode {
  const node = labNodes(lab)[0];
  if (!node) throw new Error('lab.json has no second physical host (nodes): run `npm run lab:up` with lib/node-host.sh.');
  return node;
}

/** The lab's other physical hosts (lab.json `nodes`); none on a lab without lib/node-host.sh. */
export function labNodes(lab: LabDescription): readonly LabNode[] {
  return (lab as LabDescription & { nodes?: LabNode[] }).nodes ?? [];
}

/** The lab's client files; known_hosts holds the lab host's key plus `extraKnownHosts` lines (infra2's only when given). */
export function labClientFilesWith(lab: LabDescription, extraKnownHosts: readonly string[]): LabClientFiles {
  const files = writeLabClientFiles(lab, undefined, { nodes: false });
  if (extraKnownHosts.length > 0) appendFileSync(files.knownHosts, `${extraKnownHosts.join('\n')}\n`);
  return files;
}

/** An SshHost for the lab host with those files; `askTrust` answers for keys not in known_hosts. */
export function connectLabWith(files: LabClientFiles, askTrust: AskTrust = async () => false): SshHost {
  const target = resolveHost(files.alias, readFileSync(files.sshConfig, 'utf8'), { home: homedir(), localUser: 'root' });
  return new SshHost({
    target: { ...target, userKnownHostsFiles: [files.knownHosts] },
    askTrust,
    secrets: { get: async () => undefined, store: async () => undefined, ask: async () => undefined },
    logger: silentLogger,
    home: homedir(),
  });
}

/** Runs a command as infra2 sees it (its namespaces), outside of SSH. */
export function nodeHostExec(argv: readonly string[]): string {
  return execFileSync('bash', [join(REPO, 'test/lab/lib/node-host.sh'), 'exec', ...argv], { encoding: 'utf8' });
}

/** node-host.sh sshd-stop / sshd-start: infra2 unreachable (its containers keep running), or back. */
export function nodeSshd(action: 'stop' | 'start'): void {
  execFileSync('bash', [join(REPO, 'test/lab/lib/node-host.sh'), `sshd-${action}`], { encoding: 'utf8' });
}

/** infra2's HAProxy (lib/node-haproxy.sh: aio1's configuration, its own admin socket): config bytes and admin states. */
export function nodeHaproxySnapshot(node: LabNode): string {
  return `## ${node.name} haproxy\n${nodeHostExec(['bash', '-c', HAPROXY_SNAPSHOT_SCRIPT])}`;
}

/** infra2's side of the production snapshot: its HAProxy and journal directory as the lab host's, and each container. */
export function nodeSnapshot(node: LabNode): string {
  const parts = [`## ${node.name}`, nodeHostExec(['bash', '-c', HOST_SNAPSHOT_SCRIPT])];
  for (const container of node.containers) {
    parts.push(`## ${container.name}`);
    parts.push(nodeHostExec(['lxc-attach', '-n', container.name, '--', 'sh', '-c', CONTAINER_SNAPSHOT_SCRIPT, 'sh', ...container.units]));
  }
  return parts.join('\n');
}
