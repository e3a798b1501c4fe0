import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, YAMLException } from 'js-yaml';
import { knownServiceOf } from '../osa/knownServices';
import { deepMerge, toService, validateLayer } from './schema';
import { CatalogError, type CatalogService, type CatalogUnit } from './types';

/** A catalog file: its path (for messages) and, optionally, its text (else read from disk). */
export interface CatalogSource {
  readonly path: string;
  readonly text?: string;
}

export interface CatalogSources {
  /** The shipped catalog (required). */
  readonly shipped: CatalogSource;
  /** The user's catalog (e.g. ~/.config/osa-dev/services.yaml); skipped when the file is absent. */
  readonly user?: CatalogSource;
  /** The workspace's `.osa-dev.yaml`; skipped when absent. */
  readonly workspace?: CatalogSource;
}

/** The catalog shipped with the extension, relative to the extension's root folder. */
export function shippedCatalogPath(extensionRoot: string): string {
  return join(extensionRoot, 'catalog', 'services.yaml');
}

/** Parses YAML text; malformed YAML → CatalogError with the file, line and column (1-based). */
export function parseCatalogYaml(text: string, file: string): unknown {
  try {
    return load(text, { filename: file });
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = error.mark;
      const location = mark === undefined ? undefined : { line: mark.line + 1, column: mark.column + 1 };
      throw new CatalogError(file, `invalid YAML: ${error.reason ?? error.message}`, location);
    }
    throw error;
  }
}

function readSource(source: CatalogSource, required: boolean): string | undefined {
  if (source.text !== undefined) return source.text;
  if (!existsSync(source.path)) {
    if (required) throw new CatalogError(source.path, 'catalog file not found');
    return undefined;
  }
  return readFileSync(source.path, 'utf8');
}

/** Loads the shipped catalog and merges the user's and the workspace's over it (in that order). */
export function loadCatalog(sources: CatalogSources): Catalog {
  const layers: { path: string; text: string }[] = [];
  const shipped = readSource(sources.shipped, true);
  layers.push({ path: sources.shipped.path, text: shipped ?? '' });
  for (const source of [sources.user, sources.workspace]) {
    if (source === undefined) continue;
    const text = readSource(source, false);
    if (text !== undefined) layers.push({ path: source.path, text });
  }
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, string[]>();
  for (const layer of layers) {
    const services = validateLayer(parseCatalogYaml(layer.text, layer.path), layer.path);
    for (const [name, raw] of Object.entries(services)) {
      merged[name] = name in merged ? deepMerge(merged[name], raw) : raw;
      origin.set(name, [...(origin.get(name) ?? []), layer.path]);
    }
  }
  const entries = Object.entries(merged).map(([name, raw]) => toService(name, raw as Record<string, unknown>, origin.get(name) ?? []));
  return new Catalog(entries);
}

/** What a container shows about an unknown service, to infer an entry from. */
export interface ObservedService {
  /** Units found in the container (with or without `.service`). */
  readonly units: readonly string[];
}

export class Catalog {
  private readonly byName: ReadonlyMap<string, CatalogService>;

  constructor(readonly services: readonly CatalogService[]) {
    this.byName = new Map(services.map((s) => [s.name, s]));
  }

  get(name: string): CatalogService | undefined {
    return this.byName.get(name);
  }

  /**
   * The entry for an inventory component (`heat_api`, `nova_api_os_compute`) or a service name
   * (`heat`): a service listing the component, else the service the component belongs to.
   */
  forContainer(componentOrService: string): CatalogService | undefined {
    const direct = this.services.find((s) => s.components.includes(componentOrService)) ?? this.byName.get(componentOrService);
    if (direct !== undefined) return direct;
    const known = knownServiceOf(componentOrService);
    return known === undefined ? undefined : this.byName.get(known);
  }

  /** The catalog's entry, or one inferred from the container (`inferred: true`: prompt the user). */
  resolve(componentOrService: string, observed: ObservedService): CatalogService {
    return this.forContainer(componentOrService) ?? inferService(knownServiceOf(componentOrService) ?? componentOrService, observed);
  }

  /** A unit of a service by name (with or without `.service`). */
  unit(service: CatalogService, unit: string): CatalogUnit | undefined {
    return service.units[unit.replace(/\.service$/, '')];
  }
}

/**
 * An entry for a service the catalog does not know: its units as the container has them (run
 * from their own ExecStart: no `command`), its venv by the glob `/openstack/venvs/<svc>*`.
 */
export function inferService(name: string, observed: ObservedService): CatalogService {
  const units: Record<string, CatalogUnit> = {};
  for (const raw of observed.units) {
    const unit = raw.replace(/\.service$/, '');
    units[unit] = { name: unit, production: 'systemd', config: [], debug: { env: {}, options: {}, notes: [] } };
  }
  const base = name.replace(/_/g, '-');
  return {
    name,
    inferred: true,
    components: [name],
    venv: `/openstack/venvs/${base}*`,
    config: [],
    haproxy: [],
    units,
    sources: [],
  };
}

const PLACEHOLDER = /\{([a-z]+)\}/g;

/** Replaces `{venv}`, `{config}`… in each argv element; an unknown or missing one is an error. */
export function expandArgv(argv: readonly string[], values: Readonly<Record<string, string | undefined>>): string[] {
  return argv.map((arg) =>
    arg.replace(PLACEHOLDER, (whole, key: string) => {
      const value = values[key];
      if (value === undefined) {
        throw new Error(`No value for placeholder ${whole} in ${JSON.stringify(argv)}`);
      }
      return value;
    }),
  );
}
