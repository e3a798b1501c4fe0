import { parseRemoteUrl } from '../../core/gerrit';
import { listRemoteRefs } from '../../core/sources';
import { gerritClient } from '../gerrit/credentials';
import { kollaDevModeCheckout } from '../../core/kolla/devModeCheckout';
import type { ContainerTarget } from '../pickers';
import type { Services } from '../services';
import type { WizardLists } from './developWizard';

const OPEN_CHANGES_SHOWN = 50;

/**
 * What the Develop wizard's pickers list: a repository's branches and tags (`git ls-remote` from
 * this machine), the open changes of the service's project on the Gerrit, a change's patchsets.
 * The kolla_dev_mode checkout bind-mounted in the target container (one `container inspect`).
 * Failures (offline, unknown project) are logged; the wizard then asks for typed input.
 */
export function wizardLists(services: Services, target?: ContainerTarget): WizardLists {
  const client = (gerritUrl: string) => gerritClient(services.context.secrets, gerritUrl, services.logger);
  return {
    refs: (url) => listRemoteRefs(url),
    async openChanges(gerritUrl, upstream) {
      const project = parseRemoteUrl(upstream)?.project;
      if (!project) return [];
      return (await (await client(gerritUrl)).listOpenChanges(project, { limit: OPEN_CHANGES_SHOWN })).changes;
    },
    async patchsets(gerritUrl, change) {
      return (await client(gerritUrl)).listPatchsets(change);
    },
    async devModeCheckout(project) {
      if (!target) return undefined;
      return kollaDevModeCheckout(services.devLoop.stepContext(target.host.host, target.container.name, new AbortController().signal), project);
    },
    failed(what, error) {
      services.logger.warn(`Develop wizard: could not list ${what} (${error instanceof Error ? error.message : String(error)}); asking for it instead.`);
    },
  };
}
