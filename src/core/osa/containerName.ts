import { KNOWN_SERVICE_PREFIXES_DASHED } from './knownServices';

/** `underscore`: `aio1_heat_api_container-36e270c9` (before 2024); `dash`: `aio1-heat-api-container-36e270c9`. */
export type ContainerNameStyle = 'underscore' | 'dash';

export interface OsaContainerName {
  readonly physicalHost: string;
  /** Always in underscore form, as in the inventory: `heat_api`, `rabbit_mq`. */
  readonly component: string;
  readonly suffix: string;
  readonly style: ContainerNameStyle;
}

export interface ParseContainerNameOptions {
  /** Physical host names known to be right (the inventory's physical hosts, the SSH host's name). */
  readonly physicalHosts?: readonly string[];
}

const UNDERSCORE_STYLE = /^(.+)_container-([0-9a-f]{8})$/;
const DASH_STYLE = /^(.+)-container-([0-9a-f]{8})$/;
const WORD = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

/**
 * Splits an OSA container name; undefined when the name is not OSA-shaped.
 *
 * The host/component boundary is ambiguous in the dash style (`compute-2-nova-compute-...`) and
 * for host names with underscores. Order of trust: a known physical host that prefixes the name,
 * then (dash style) the rightmost known service name after the first word, then the first
 * separator. Prefer the inventory's `physical_host` whenever the container is in it.
 */
export function parseOsaContainerName(name: string, options: ParseContainerNameOptions = {}): OsaContainerName | undefined {
  const dashed = DASH_STYLE.exec(name);
  const underscored = dashed ? null : UNDERSCORE_STYLE.exec(name);
  const match = dashed ?? underscored;
  if (!match) {
    return undefined;
  }
  const style: ContainerNameStyle = dashed ? 'dash' : 'underscore';
  const separator = style === 'dash' ? '-' : '_';
  const hostAndComponent = match[1]!;
  const split = splitKnownHost(hostAndComponent, separator, options.physicalHosts) ?? splitByStyle(hostAndComponent, style);
  if (!split) {
    return undefined;
  }
  const component = style === 'dash' ? split.component.replace(/-/g, '_') : split.component;
  if (!WORD.test(component) || split.host === '') {
    return undefined;
  }
  return { physicalHost: split.host, component, suffix: match[2]!, style };
}

interface Split {
  readonly host: string;
  readonly component: string;
}

function splitKnownHost(text: string, separator: string, hosts: readonly string[] = []): Split | undefined {
  const host = [...hosts].sort((a, b) => b.length - a.length).find((h) => text.startsWith(`${h}${separator}`));
  return host === undefined ? undefined : { host, component: text.slice(host.length + 1) };
}

function splitByStyle(text: string, style: ContainerNameStyle): Split | undefined {
  if (style === 'underscore') {
    // Host names cannot contain "_" (they are DNS names), so the first one ends the host.
    const at = text.indexOf('_');
    return at <= 0 ? undefined : { host: text.slice(0, at), component: text.slice(at + 1) };
  }
  let best = -1;
  for (const svc of KNOWN_SERVICE_PREFIXES_DASHED) {
    for (let at = text.indexOf(`-${svc}`); at > 0; at = text.indexOf(`-${svc}`, at + 1)) {
      const end = at + 1 + svc.length;
      if ((end === text.length || text[end] === '-') && at > best) {
        best = at;
      }
    }
  }
  const at = best > 0 ? best : text.indexOf('-');
  return at <= 0 ? undefined : { host: text.slice(0, at), component: text.slice(at + 1) };
}
