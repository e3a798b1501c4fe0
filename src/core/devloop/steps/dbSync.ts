/**
 * db_sync with the DEV venv's binaries, as the service user, with the service's config, inside
 * the container. Skipped while the migrations in the dev source are unchanged since the last
 * successful run (their sha256 is recorded in the dev venv), unless forced.
 *
 * undo: NONE POSSIBLE. Migrations are forward-only (alembic/sqlalchemy-migrate downgrades are not
 * supported by OpenStack projects); the step is journaled with `undoable: false` and its undo
 * only reports that. Restore production runs the production code against the migrated schema,
 * which OpenStack's expand/contract rules keep working within a release.
 */
import type { CatalogService } from '../../catalog/types';
import { expandArgv } from '../../catalog/catalog';
import { CommandFailedError } from '../../process/types';
import { shellJoin } from '../../shell/quote';
import type { Step } from '../types';
import { StepSkipped } from '../types';
import { lastLines, runIn, runInOk, script } from './containerExec';

export const DBSYNC_RECORD = '.osa-dev-dbsync.sha256';

export class DbSyncError extends Error {
  constructor(
    readonly command: readonly string[],
    readonly container: string,
    readonly output: string,
    /** The failed command itself (so a container stopped underneath is recognised as the reason). */
    cause?: CommandFailedError,
  ) {
    super(`db_sync failed in ${container}: ${command.join(' ')}\n${output}`, cause === undefined ? undefined : { cause });
    this.name = 'DbSyncError';
  }
}

export interface DbSyncOriginal {
  readonly devVenv: string;
  readonly src: string;
}

export interface DbSyncOptions {
  readonly service: CatalogService;
  readonly devVenv: string;
  readonly src: string;
  readonly force?: boolean;
}

// sha256 over the sorted files (path + content) of the migration paths; globs expand ($@ split on newlines only).
const MIGRATIONS_SHA = `cd "$1" || exit 3; shift
IFS='
'
for p in "$@"; do for f in $p; do [ -e "$f" ] && find "$f" -type f ! -name '*.pyc' -print; done; done | LC_ALL=C sort -u | xargs -r -d '\n' sha256sum | sha256sum | cut -d' ' -f1`;
/** A script: the migrations' sha into $sha ($1 the record, $2 the source, then the paths), then `then`. */
function withSha(then: string): string {
  return `rec="$1"; shift\nsha=$(${MIGRATIONS_SHA}\n) || exit 3\n${then}`;
}
// Exit 0 when the record holds the migrations' sha.
const UNCHANGED = withSha('[ -f "$rec" ] && [ "$(cat "$rec")" = "$sha" ]');
// After a successful db_sync (which does not touch the source): the sha into the record.
const RECORD = withSha(`printf '%s\\n' "$sha" > "$rec.tmp" && mv -f "$rec.tmp" "$rec"`);

export function dbSync(options: DbSyncOptions): Step<DbSyncOriginal> & { readonly undoable: false } {
  const { service, devVenv, src } = options;
  const sync = service.dbSync;
  const record = `${devVenv}/${DBSYNC_RECORD}`;
  return {
    id: `db-sync:${service.name}`,
    title: `Run ${service.name} db_sync (cannot be undone)`,
    undoable: false,
    async capture() {
      if (sync === undefined) throw new StepSkipped(`${service.name} has no db_sync in the catalog`);
      // Nothing to put back (migrations are forward-only); check() decides whether it runs.
      return { devVenv, src };
    },
    async check(ctx) {
      if (options.force === true || sync === undefined) return false;
      return (await runIn(ctx, script(UNCHANGED, record, src, ...sync.migrations))).code === 0;
    },
    async apply(ctx) {
      if (sync === undefined) throw new StepSkipped(`${service.name} has no db_sync in the catalog`);
      const values = { venv: devVenv, config: service.config[0], src };
      for (const template of sync.commands) {
        const argv = expandArgv(template, values);
        ctx.report(`${argv.join(' ')}${sync.user === undefined ? '' : ` (as ${sync.user})`}`);
        const result = await runIn(ctx, argv, { ...(sync.user === undefined ? {} : { user: sync.user }), cwd: '/', env: { PYTHONDONTWRITEBYTECODE: '1' } });
        if (result.code !== 0) throw new DbSyncError(argv, ctx.container, lastLines(result, 20), new CommandFailedError(shellJoin(argv), result));
      }
      await runInOk(ctx, script(RECORD, record, src, ...sync.migrations), `Recording the migrations of ${src}`);
    },
    async undo(ctx) {
      ctx.report('db_sync cannot be undone: migrations are forward-only (nothing to restore)');
    },
  };
}
