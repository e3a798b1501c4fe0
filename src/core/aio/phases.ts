/**
 * The phases of an OpenStack-Ansible all-in-one deployment, in OSA's own order (its AIO quickstart:
 * clone, bootstrap-ansible.sh, bootstrap-aio.sh, then the three setup playbooks). The issue listed
 * bootstrap-aio before bootstrap-ansible; current OSA's bootstrap-aio.sh runs its own playbook
 * through the `openstack-ansible` wrapper that bootstrap-ansible.sh installs, so OSA's order wins.
 * The admin password is set right after bootstrap-aio.sh has written user_secrets.yml.
 */
import { assertGitRef, assertGitUrl, InvalidGitInputError } from '../git/validate';
import { shownValue } from '../text/shownValue';

export const OSA_CHECKOUT = '/opt/openstack-ansible';
export const USER_SECRETS = '/etc/openstack_deploy/user_secrets.yml';
export const ADMIN_PASSWORD_KEY = 'keystone_auth_admin_password';

export type AioPhaseId =
  | 'clone'
  | 'bootstrap-ansible'
  | 'bootstrap-aio'
  | 'admin-password'
  | 'setup-hosts'
  | 'setup-infrastructure'
  | 'setup-openstack';

export interface AioPhase {
  readonly id: AioPhaseId;
  readonly title: string;
  /** Playbook phases print a PLAY RECAP that decides their outcome. */
  readonly playbook: boolean;
}

export const AIO_PHASES: readonly AioPhase[] = [
  { id: 'clone', title: 'Clone openstack-ansible', playbook: false },
  { id: 'bootstrap-ansible', title: 'Bootstrap Ansible (scripts/bootstrap-ansible.sh)', playbook: false },
  { id: 'bootstrap-aio', title: 'Bootstrap the all-in-one (scripts/bootstrap-aio.sh)', playbook: true },
  { id: 'admin-password', title: 'Set the admin password in user_secrets.yml', playbook: false },
  { id: 'setup-hosts', title: 'Set up the hosts (setup_hosts)', playbook: true },
  { id: 'setup-infrastructure', title: 'Set up the infrastructure (setup_infrastructure)', playbook: true },
  { id: 'setup-openstack', title: 'Set up OpenStack (setup_openstack)', playbook: true },
];

export interface AioDeployOptions {
  readonly repository: string;
  readonly branch: string;
  readonly checkoutDir?: string;
}

export function validateDeployOptions(options: AioDeployOptions): Required<AioDeployOptions> {
  return {
    repository: assertGitUrl(options.repository),
    branch: assertGitRef(options.branch),
    checkoutDir: assertCheckoutDir(options.checkoutDir ?? OSA_CHECKOUT),
  };
}

const CHECKOUT_DIR = /^\/[A-Za-z0-9._/-]+$/;

function assertCheckoutDir(dir: string): string {
  if (!CHECKOUT_DIR.test(dir) || dir.split('/').includes('..') || dir.length > 255) {
    throw new InvalidGitInputError(`${shownValue(dir)} is not an absolute path for the openstack-ansible checkout.`);
  }
  return dir;
}

/**
 * The argv of a command phase. Clone is idempotent: an existing checkout is fetched and put on the
 * branch; a directory that is not that repository is refused rather than overwritten.
 */
export function phaseArgv(id: Exclude<AioPhaseId, 'admin-password'>, options: Required<AioDeployOptions>): string[] {
  const dir = options.checkoutDir;
  switch (id) {
    case 'clone':
      return ['sh', '-c', CLONE_OR_UPDATE, 'sh', options.repository, options.branch, dir];
    case 'bootstrap-ansible':
    case 'bootstrap-aio':
      return ['sh', '-c', 'cd "$1" && exec "scripts/$2.sh"', 'sh', dir, id];
    case 'setup-hosts':
    case 'setup-infrastructure':
    case 'setup-openstack':
      return ['sh', '-c', RUN_SETUP_PLAYBOOK, 'sh', dir, id];
  }
}

// $1 repo, $2 branch, $3 dir. `git ls-remote` first, so a branch that does not exist is named
// plainly before anything is written.
const CLONE_OR_UPDATE = [
  'set -e',
  'if ! git ls-remote --exit-code "$1" "refs/heads/$2" "refs/tags/$2" >/dev/null; then',
  '  echo "osa-dev: $2 is not a branch or tag of $1" >&2; exit 66',
  'fi',
  'if [ -d "$3/.git" ]; then',
  '  cd "$3"',
  '  [ "$(git remote get-url origin)" = "$1" ] || { echo "osa-dev: $3 is a clone of $(git remote get-url origin), not $1" >&2; exit 67; }',
  '  git fetch origin "$2" && git checkout -B "$2" FETCH_HEAD',
  'elif [ -e "$3" ]; then',
  '  echo "osa-dev: $3 exists and is not a git checkout; move it away first" >&2; exit 67',
  'else',
  '  git clone --branch "$2" "$1" "$3"',
  'fi',
].join('\n');

// $1 checkout dir, $2 phase id (setup-hosts…). OSA before 2024 ships playbooks/setup-hosts.yml run
// from the playbooks folder; newer releases ship the openstack.osa collection's setup_hosts.
const RUN_SETUP_PLAYBOOK = [
  'cd "$1/playbooks" || exit 1',
  'if [ -f "$2.yml" ]; then exec openstack-ansible "$2.yml"; fi',
  'exec openstack-ansible "openstack.osa.$(echo "$2" | tr - _)"',
].join('\n');
