import type { CatalogService } from '../catalog/types';
import { knownServiceOf } from '../osa/knownServices';

// Kolla names its containers after the component, in underscores: heat_api, nova_compute, keystone.
const KOLLA_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** The service and component of a Kolla container name; undefined when it is not a known service's. */
export function kollaServiceOf(name: string): { readonly service: string; readonly component: string } | undefined {
  if (!KOLLA_NAME.test(name)) return undefined;
  const service = knownServiceOf(name);
  return service === undefined ? undefined : { service, component: name };
}

/**
 * A Kolla container runs one unit of its service, the catalog's unit of that component
 * (heat_api → heat-api); it has no systemd units of its own to list.
 */
export function kollaUnits(service: CatalogService, container: { readonly name: string; readonly component?: string }): string[] {
  const component = container.component ?? container.name;
  return Object.entries(service.units)
    .filter(([, unit]) => unit.component === component)
    .map(([name]) => name);
}
