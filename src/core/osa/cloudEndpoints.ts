/**
 * The cloud's API endpoints as the deployment serves them: HAProxy's frontends (what OSA's
 * haproxy_server role writes from each service's haproxy_* variables) joined to their `<svc>-back`
 * backends, with wildcard binds shown at the external VIP of openstack_user_config.yml's
 * global_overrides. Pure: tested on the lab's and OSA's real file shapes.
 */
import { load } from 'js-yaml';
import { splitAddress, type HaproxyConfig } from '../haproxy/config';

export interface CloudEndpoint {
  /** `keystone_service`, `heat_api`, `horizon`…: the backend name without `-back`. */
  readonly name: string;
  readonly backend: string;
  readonly url: string;
}

export interface CloudVips {
  readonly external?: string;
  readonly internal?: string;
}

export interface CloudView {
  readonly endpoints: readonly CloudEndpoint[];
  /** The dashboard's URL when a frontend serves a horizon backend. */
  readonly horizonUrl?: string;
}

const WILDCARD = new Set(['', '*', '0.0.0.0', '::']);

/** global_overrides' VIP addresses; an unreadable file gives none (the binds are shown as they are). */
export function vipsFromUserConfig(yamlText: string | undefined): CloudVips {
  if (!yamlText) return {};
  let doc: unknown;
  try {
    doc = load(yamlText);
  } catch {
    return {};
  }
  const overrides = (doc as { global_overrides?: Record<string, unknown> } | null)?.global_overrides;
  const pick = (key: string): string | undefined => (typeof overrides?.[key] === 'string' ? (overrides[key] as string) : undefined);
  const external = pick('external_lb_vip_address');
  const internal = pick('internal_lb_vip_address');
  return { ...(external ? { external } : {}), ...(internal ? { internal } : {}) };
}

export function cloudView(config: HaproxyConfig, vips: CloudVips = {}): CloudView {
  const endpoints: CloudEndpoint[] = [];
  for (const section of config.sections) {
    if (section.kind !== 'frontend' && section.kind !== 'listen') continue;
    const backends = section.lines
      .filter((line) => line.words[0] === 'default_backend' || line.words[0] === 'use_backend')
      .map((line) => line.words[1])
      .filter((name): name is string => name !== undefined && name.endsWith('-back'));
    const tcp = section.lines.some((line) => line.words[0] === 'mode' && line.words[1] === 'tcp');
    const binds = section.lines.filter((line) => line.words[0] === 'bind' && line.words[1] !== undefined);
    for (const backend of new Set(backends)) {
      for (const bind of binds) {
        const { address, port } = splitAddress(bind.words[1]!);
        if (address.startsWith('/')) continue; // a unix socket is not an endpoint
        const host = WILDCARD.has(address) ? (vips.external ?? vips.internal ?? address) : address;
        const scheme = tcp ? 'tcp' : bind.words.includes('ssl') ? 'https' : 'http';
        const defaultPort = scheme === 'https' ? 443 : 80;
        const hostPart = host.includes(':') ? `[${host}]` : host;
        const portPart = port === undefined || port === defaultPort ? '' : `:${port}`;
        const url = `${scheme}://${hostPart}${portPart}${tcp ? '' : '/'}`;
        endpoints.push({ name: backend.slice(0, -'-back'.length), backend, url });
      }
    }
  }
  endpoints.sort((a, b) => a.name.localeCompare(b.name) || a.url.localeCompare(b.url));
  const horizon = endpoints.find((e) => e.name.startsWith('horizon') && e.url.startsWith('https:')) ?? endpoints.find((e) => e.name.startsWith('horizon'));
  return { endpoints, ...(horizon ? { horizonUrl: horizon.url } : {}) };
}
