/**
 * The lab's FRESH host (test/lab/lib/deploy-host.sh): no OpenStack on it, a target for "Create OSA
 * All-In-One on Host". Tests reset it before use, so each run starts from a fresh host.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Logger } from '../../src/core/log';
import type { SshHost } from '../../src/core/ssh';
import { connectLabSsh, readLab, type LabDescription } from './lab';

const REPO = join(__dirname, '..', '..');

export interface DeployHostDescription {
  readonly ssh: Omit<LabDescription['ssh'], 'hostKeyFingerprint' | 'knownHostsFile'>;
  readonly hostName: string;
  readonly ip: string;
  /** The lab's openstack-ansible repository as the deploy host reaches it. */
  readonly osaRepoUrlInNamespace: string;
}

export function readDeployHost(): DeployHostDescription {
  const lab = readLab() as LabDescription & { deployHost?: DeployHostDescription };
  if (!lab.deployHost) throw new Error('The lab has no deploy host: bring it up again with `npm run lab:up`.');
  return lab.deployHost;
}

export function connectDeployHost(logger?: Logger): SshHost {
  return connectLabSsh(readDeployHost().ssh as LabDescription['ssh'], logger);
}

/** Back to a fresh host: removes what a deployment wrote (checkout, /etc/openstack_deploy, state). */
export function resetDeployHost(): void {
  execFileSync('bash', [join(REPO, 'test/lab/lib/deploy-host.sh'), 'reset'], { stdio: 'inherit' });
}
