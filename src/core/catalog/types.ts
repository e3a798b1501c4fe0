/**
 * The service catalog: what OSA Dev knows about each OpenStack service OSA deploys (where it
 * lives, its units, how to run one in the foreground, how to db_sync it). Shipped as
 * `catalog/services.yaml`; a user file and a workspace `.osa-dev.yaml` are merged over it.
 *
 * Placeholders in commands: `{venv}` (the venv the command runs from: the dev venv),
 * `{config}` (the unit's first config file), `{port}`, `{host}` (bind address), `{src}` (dev source).
 */
import { clipText } from '../text/shownValue';

/** How production runs the unit (a foreground dev run always uses `command`). */
export type ProductionMode = 'systemd' | 'uwsgi' | 'apache';

export interface DebugHints {
  /** Environment for the foreground dev run (`OS_NOVA_DISABLE_EVENTLET_PATCHING: "1"`). */
  readonly env: Readonly<Record<string, string>>;
  /** Config options for the dev run: section → option → value (`DEFAULT.num_engine_workers: 1`). */
  readonly options: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Human notes shown when debugging (eventlet, gevent, forks…). */
  readonly notes: readonly string[];
}

export interface CatalogUnit {
  /** systemd unit name without `.service`. */
  readonly name: string;
  /** Inventory component (container group) this unit runs in, when it differs per unit. */
  readonly component?: string;
  readonly production: ProductionMode;
  /** Foreground argv with placeholders; undefined for inferred units (use the unit's ExecStart). */
  readonly command?: readonly string[];
  readonly config: readonly string[];
  readonly user?: string;
  readonly port?: number;
  /** HAProxy backend serving this unit (`heat_api-back`). */
  readonly haproxy?: string;
  readonly debug: DebugHints;
}

export interface DbSync {
  readonly user?: string;
  /** Each an argv with placeholders, run in order. */
  readonly commands: readonly (readonly string[])[];
  /** Paths (relative to the source tree; `*` globs allowed) whose change means new migrations. */
  readonly migrations: readonly string[];
}

export interface CatalogService {
  readonly name: string;
  /** True when built from what a container has, not from a catalog file: the UI should prompt. */
  readonly inferred: boolean;
  /** Python distribution name (`openstack-heat`). */
  readonly package?: string;
  readonly git?: string;
  /** Inventory components / container groups the service lives in. */
  readonly components: readonly string[];
  /** Glob of the production venv (`/openstack/venvs/heat-*`). */
  readonly venv: string;
  readonly user?: string;
  readonly config: readonly string[];
  readonly haproxy: readonly string[];
  readonly dbSync?: DbSync;
  readonly units: Readonly<Record<string, CatalogUnit>>;
  /** The files that defined or changed this entry, lowest layer first. */
  readonly sources: readonly string[];
}

export class CatalogError extends Error {
  constructor(
    readonly file: string,
    detail: string,
    readonly location?: { readonly line: number; readonly column: number },
    readonly service?: string,
    readonly key?: string,
  ) {
    const where = location === undefined ? file : `${file}:${location.line}:${location.column}`;
    super(`${where}: ${clipText(detail, 1000)}`);
    this.name = 'CatalogError';
  }
}
