/**
 * Validation of one catalog file (a layer) and conversion of the merged layers into typed
 * entries. Errors name the file, the service and the key path (`services.heat.units.heat-api.port`).
 */
import { shownValue } from '../text/shownValue';
import { CatalogError, type CatalogService, type CatalogUnit, type DbSync, type DebugHints, type ProductionMode } from './types';

type Raw = Record<string, unknown>;

const SERVICE_KEYS = ['package', 'git', 'components', 'venv', 'user', 'config', 'haproxy', 'dbSync', 'units'] as const;
const UNIT_KEYS = ['component', 'production', 'command', 'config', 'user', 'port', 'haproxy', 'debug'] as const;
const DBSYNC_KEYS = ['user', 'commands', 'migrations'] as const;
const DEBUG_KEYS = ['env', 'options', 'notes'] as const;
const PRODUCTION: readonly ProductionMode[] = ['systemd', 'uwsgi', 'apache'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]*$/;

export function isPlainObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  constructor(
    readonly file: string,
    readonly service?: string,
  ) {}

  fail(key: string, detail: string): never {
    const who = this.service === undefined ? '' : `service "${this.service}": `;
    throw new CatalogError(this.file, `${who}${key}: ${detail}`, undefined, this.service, key);
  }

  keys(obj: Raw, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.fail(`${path}.${key}`, `unknown key (expected one of: ${allowed.join(', ')})`);
      }
    }
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(path, `expected a non-empty string, got ${describe(value)}`);
    }
    return value;
  }

  strings(value: unknown, path: string): string[] {
    if (!Array.isArray(value)) {
      this.fail(path, `expected a list of strings, got ${describe(value)}`);
    }
    return value.map((item, i) => this.string(item, `${path}[${i}]`));
  }

  /** Scalars (numbers, booleans) become strings: YAML writes `num_engine_workers: 1`. */
  scalarMap(value: unknown, path: string): Record<string, string> {
    if (!isPlainObject(value)) {
      this.fail(path, `expected a mapping, got ${describe(value)}`);
    }
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
        out[key] = String(item);
      } else {
        this.fail(`${path}.${key}`, `expected a string, number or boolean, got ${describe(item)}`);
      }
    }
    return out;
  }

  object(value: unknown, path: string): Raw {
    if (!isPlainObject(value)) {
      this.fail(path, `expected a mapping, got ${describe(value)}`);
    }
    return value;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? `string ${shownValue(value)}` : `${typeof value} ${JSON.stringify(value)}`;
}

/** Checks one file's document: the shape of every key present (layers may be partial). */
export function validateLayer(doc: unknown, file: string): Raw {
  const top = new Checker(file);
  if (doc === null || doc === undefined) {
    return {};
  }
  const root = top.object(doc, '(document)');
  top.keys(root, ['version', 'services'], '(document)');
  if (root['version'] !== undefined && root['version'] !== 1) {
    top.fail('version', `unsupported catalog version ${describe(root['version'])} (expected 1)`);
  }
  if (root['services'] === undefined || root['services'] === null) {
    return {};
  }
  const services = top.object(root['services'], 'services');
  for (const [name, raw] of Object.entries(services)) {
    if (!NAME.test(name)) top.fail(`services.${name}`, 'invalid service name');
    const c = new Checker(file, name);
    const svc = c.object(raw, `services.${name}`);
    const p = `services.${name}`;
    c.keys(svc, SERVICE_KEYS, p);
    for (const key of ['package', 'git', 'venv', 'user'] as const) {
      if (svc[key] !== undefined) c.string(svc[key], `${p}.${key}`);
    }
    for (const key of ['components', 'config', 'haproxy'] as const) {
      if (svc[key] !== undefined) c.strings(svc[key], `${p}.${key}`);
    }
    if (svc['dbSync'] !== undefined) {
      const db = c.object(svc['dbSync'], `${p}.dbSync`);
      c.keys(db, DBSYNC_KEYS, `${p}.dbSync`);
      if (db['user'] !== undefined) c.string(db['user'], `${p}.dbSync.user`);
      if (db['commands'] !== undefined) {
        const commands: unknown = db['commands'];
        if (!Array.isArray(commands) || commands.length === 0) {
          c.fail(`${p}.dbSync.commands`, 'expected a non-empty list of argv lists');
        }
        (commands as unknown[]).forEach((cmd: unknown, i: number) => {
          if (c.strings(cmd, `${p}.dbSync.commands[${i}]`).length === 0) c.fail(`${p}.dbSync.commands[${i}]`, 'empty command');
        });
      }
      if (db['migrations'] !== undefined) c.strings(db['migrations'], `${p}.dbSync.migrations`);
    }
    if (svc['units'] !== undefined) {
      const units = c.object(svc['units'], `${p}.units`);
      for (const [unitName, rawUnit] of Object.entries(units)) {
        const u = `${p}.units.${unitName}`;
        if (!NAME.test(unitName) || unitName.endsWith('.service')) c.fail(u, 'invalid unit name (write it without ".service")');
        const unit = c.object(rawUnit, u);
        c.keys(unit, UNIT_KEYS, u);
        for (const key of ['component', 'user', 'haproxy'] as const) {
          if (unit[key] !== undefined) c.string(unit[key], `${u}.${key}`);
        }
        if (unit['production'] !== undefined && !PRODUCTION.includes(unit['production'] as ProductionMode)) {
          c.fail(`${u}.production`, `expected one of ${PRODUCTION.join(', ')}, got ${describe(unit['production'])}`);
        }
        if (unit['command'] !== undefined && c.strings(unit['command'], `${u}.command`).length === 0) c.fail(`${u}.command`, 'empty command');
        if (unit['config'] !== undefined) c.strings(unit['config'], `${u}.config`);
        if (unit['port'] !== undefined) {
          const port = unit['port'];
          if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
            c.fail(`${u}.port`, `expected a TCP port (1-65535), got ${describe(port)}`);
          }
        }
        if (unit['debug'] !== undefined) {
          const debug = c.object(unit['debug'], `${u}.debug`);
          c.keys(debug, DEBUG_KEYS, `${u}.debug`);
          if (debug['env'] !== undefined) c.scalarMap(debug['env'], `${u}.debug.env`);
          if (debug['notes'] !== undefined) c.strings(debug['notes'], `${u}.debug.notes`);
          if (debug['options'] !== undefined) {
            const options = c.object(debug['options'], `${u}.debug.options`);
            for (const [section, values] of Object.entries(options)) c.scalarMap(values, `${u}.debug.options.${section}`);
          }
        }
      }
    }
  }
  return services;
}

/** Deep merge: mappings merge key by key, anything else (lists, scalars) replaces. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Raw = { ...base };
    for (const [key, value] of Object.entries(over)) {
      out[key] = key in base ? deepMerge(base[key], value) : value;
    }
    return out;
  }
  return over;
}

/** The typed entry for a merged service; `file` is the last file that touched it (for messages). */
export function toService(name: string, raw: Raw, sources: readonly string[]): CatalogService {
  const c = new Checker(sources.join(' + '), name);
  const p = `services.${name}`;
  if (raw['venv'] === undefined) c.fail(`${p}.venv`, 'required (a glob like /openstack/venvs/<service>-*)');
  if (raw['units'] === undefined) c.fail(`${p}.units`, 'required (the systemd units of the service)');
  const config = raw['config'] === undefined ? [] : c.strings(raw['config'], `${p}.config`);
  const user = raw['user'] === undefined ? undefined : c.string(raw['user'], `${p}.user`);
  const units: Record<string, CatalogUnit> = {};
  for (const [unitName, rawUnit] of Object.entries(c.object(raw['units'], `${p}.units`))) {
    const unit = rawUnit as Raw;
    const u = `${p}.units.${unitName}`;
    if (unit['command'] === undefined) c.fail(`${u}.command`, 'required (the foreground argv, e.g. ["{venv}/bin/heat-engine", "--config-file", "{config}"])');
    const debug = (unit['debug'] ?? {}) as Raw;
    const options: Record<string, Record<string, string>> = {};
    for (const [section, values] of Object.entries((debug['options'] ?? {}) as Raw)) {
      options[section] = c.scalarMap(values, `${u}.debug.options.${section}`);
    }
    const hints: DebugHints = {
      env: debug['env'] === undefined ? {} : c.scalarMap(debug['env'], `${u}.debug.env`),
      options,
      notes: debug['notes'] === undefined ? [] : c.strings(debug['notes'], `${u}.debug.notes`),
    };
    const unitUser = unit['user'] === undefined ? user : (unit['user'] as string);
    units[unitName] = {
      name: unitName,
      ...(unit['component'] === undefined ? {} : { component: unit['component'] as string }),
      production: (unit['production'] as ProductionMode | undefined) ?? 'systemd',
      command: c.strings(unit['command'], `${u}.command`),
      config: unit['config'] === undefined ? config : c.strings(unit['config'], `${u}.config`),
      ...(unitUser === undefined ? {} : { user: unitUser }),
      ...(unit['port'] === undefined ? {} : { port: unit['port'] as number }),
      ...(unit['haproxy'] === undefined ? {} : { haproxy: unit['haproxy'] as string }),
      debug: hints,
    };
  }
  let dbSync: DbSync | undefined;
  if (raw['dbSync'] !== undefined) {
    const db = raw['dbSync'] as Raw;
    if (db['commands'] === undefined) c.fail(`${p}.dbSync.commands`, 'required when dbSync is given');
    const dbUser = db['user'] === undefined ? user : (db['user'] as string);
    dbSync = {
      ...(dbUser === undefined ? {} : { user: dbUser }),
      commands: (db['commands'] as unknown[]).map((cmd, i) => c.strings(cmd, `${p}.dbSync.commands[${i}]`)),
      migrations: db['migrations'] === undefined ? [] : c.strings(db['migrations'], `${p}.dbSync.migrations`),
    };
  }
  return {
    name,
    inferred: false,
    ...(raw['package'] === undefined ? {} : { package: raw['package'] as string }),
    ...(raw['git'] === undefined ? {} : { git: raw['git'] as string }),
    components: raw['components'] === undefined ? [] : c.strings(raw['components'], `${p}.components`),
    venv: c.string(raw['venv'], `${p}.venv`),
    ...(user === undefined ? {} : { user }),
    config,
    haproxy: raw['haproxy'] === undefined ? [] : c.strings(raw['haproxy'], `${p}.haproxy`),
    ...(dbSync === undefined ? {} : { dbSync }),
    units,
    sources,
  };
}
