/**
 * Local working tree → a directory inside a container, as ONE tar stream over the existing SSH
 * connection: `lxc-attach … -- sh -c SCRIPT sh DEST N M`, stdin = N bytes of NUL-separated paths to
 * delete, M bytes of records to append to `.osa-dev-manifest`, then the tar (files, symlinks,
 * modes; the whole manifest last when it is rewritten rather than appended to).
 */
import { isAbsolute, relative, sep } from 'node:path';
import { silentLogger, type Logger } from '../log';
import { expectSuccess, type ShellRunner } from '../process/types';
import type { ContainerRuntime } from '../runtime/types';
import { shellJoin } from '../shell/quote';
import { ignoredPaths, listWorkingTree, readLocal } from './localFiles';
import { assertSafeRelativePath, computeDeletes, isSafeRelativePath, MANIFEST_DELTA_NAME, MANIFEST_NAME, readManifest, serializeManifest, serializeManifestDelta } from './manifest';
import { buildTar, type TarEntry } from './tar';

// Constant script; dest and the byte counts of the delete list and of the manifest delta are
// positional parameters. Deletes run first (a file may become a directory), each only when no
// parent of it resolves outside dest (a symlinked parent is skipped, never followed); emptied
// directories are removed. GNU head -c reads no more than N bytes from a pipe, so tar gets exactly
// the rest of stdin. The manifest delta is appended only once tar succeeded.
export const SYNC_SCRIPT = [
  'set -e',
  'dest="$1"; n="$2"; m="${3:-0}"',
  'mkdir -p -- "$dest"',
  'cd -- "$dest"',
  'root=$(pwd -P)',
  'if [ "$n" -gt 0 ]; then',
  '  head -c "$n" | xargs -0 -r sh -c \'root="$1"; shift; for f; do d=$(dirname -- "$f"); if [ "$d" = . ]; then want="$root"; else want="$root/$d"; fi; real=$(cd -- "$d" 2>/dev/null && pwd -P) || continue; if [ "$real" != "$want" ]; then echo "osa-dev: not deleting $f (a parent directory is a symlink)" >&2; continue; fi; rm -f -- "$f"; if [ "$d" != . ]; then rmdir -p --ignore-fail-on-non-empty -- "$d" 2>/dev/null || true; fi; done\' sh "$root"',
  'fi',
  `if [ "$m" -gt 0 ]; then head -c "$m" > ${MANIFEST_DELTA_NAME}; fi`,
  'tar -x --no-same-owner -f -',
  `if [ "$m" -gt 0 ]; then cat ${MANIFEST_DELTA_NAME} >> ${MANIFEST_NAME}; rm -f ${MANIFEST_DELTA_NAME}; fi`,
].join('\n');

const READ_MANIFEST = 'cat -- "$1/.osa-dev-manifest" 2>/dev/null || true';

export interface SourceSyncOptions {
  /** Runs on the OSA host (the SSH connection). */
  readonly host: ShellRunner;
  readonly runtime: ContainerRuntime;
  readonly container: string;
  /** The local working tree (a git checkout). */
  readonly localDir: string;
  /** Absolute destination inside the container, e.g. `/opt/osa-dev/src/heat`. */
  readonly dest: string;
  readonly logger?: Logger;
}

type ManifestUpdate = { readonly rewrite: ReadonlySet<string> } | { readonly append: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly result: ReadonlySet<string> } };

export interface SyncResult {
  /** Files and symlinks sent. */
  readonly sent: number;
  readonly deleted: readonly string[];
  /** Size of the stream (delete list + tar). */
  readonly bytes: number;
}

export class SourceSync {
  private manifest: Set<string> | undefined;
  /** Whether the container's manifest takes appended records (version 2), as last read or written. */
  private appendable = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;

  constructor(private readonly options: SourceSyncOptions) {
    const dest = options.dest;
    if (!isAbsolute(dest) || dest === '/' || dest.split('/').some((part) => part === '..' || part === '.') || /[\0\n]/.test(dest)) {
      throw new Error(`The sync destination must be an absolute directory without "." or ".." (got ${JSON.stringify(dest)}).`);
    }
    this.logger = options.logger ?? silentLogger;
  }

  /** The whole working tree; files gone since the last sync are deleted in the container. */
  fullSync(signal?: AbortSignal): Promise<SyncResult> {
    return this.serialized(async () => {
      const previous = await this.remoteManifest(signal, true);
      const paths = (await listWorkingTree(this.options.localDir)).filter((p) => isSafeRelativePath(p));
      const entries: TarEntry[] = [];
      for (const path of paths) {
        const state = await readLocal(this.options.localDir, path);
        if (state.kind === 'entry') entries.push(state.entry);
      }
      const present = new Set(entries.map((e) => e.path));
      return this.send(entries, computeDeletes(previous, present, present), { rewrite: present }, signal);
    });
  }

  /**
   * Only these paths (relative to the working tree, or absolute inside it): the inner loop on save.
   * Existing files are sent (ignored ones skipped), missing ones deleted, a directory is expanded.
   */
  syncChanged(paths: readonly string[], signal?: AbortSignal): Promise<SyncResult> {
    return this.serialized(async () => {
      const previous = await this.remoteManifest(signal, false);
      const next = new Set(previous);
      const entries = new Map<string, TarEntry>();
      const gone = new Set<string>();
      const candidates: TarEntry[] = [];
      for (const raw of new Set(paths.map((p) => this.relativize(p)))) {
        const state = await readLocal(this.options.localDir, raw);
        if (state.kind === 'entry') candidates.push(state.entry);
        else if (state.kind === 'absent') {
          gone.add(raw);
          for (const known of previous) if (known.startsWith(`${raw}/`)) gone.add(known);
        } else {
          const listed = new Set(await listWorkingTree(this.options.localDir, [raw]));
          for (const known of previous) if (known.startsWith(`${raw}/`) && !listed.has(known)) gone.add(known);
          for (const path of listed) {
            const inner = await readLocal(this.options.localDir, path);
            if (inner.kind === 'entry') entries.set(path, inner.entry);
          }
        }
      }
      const ignored = await ignoredPaths(this.options.localDir, candidates.filter((e) => !previous.has(e.path)).map((e) => e.path));
      for (const entry of candidates) if (!ignored.has(entry.path)) entries.set(entry.path, entry);
      for (const path of gone) next.delete(path);
      for (const path of entries.keys()) next.add(path);
      const deletes = computeDeletes(previous, next, entries.keys());
      for (const path of deletes) next.delete(path);
      if (!this.appendable) return this.send([...entries.values()], deletes, { rewrite: next }, signal);
      const added = [...next].filter((p) => !previous.has(p));
      const removed = [...previous].filter((p) => !next.has(p));
      return this.send([...entries.values()], deletes, { append: { added, removed, result: next } }, signal);
    });
  }

  /** Forget the cached manifest (the next sync reads it from the container again). */
  invalidate(): void {
    this.manifest = undefined;
  }

  /**
   * One exec: deletes, then the tar. The manifest is either rewritten whole (a full sync, or a
   * container whose manifest cannot take appends) or, on a save, only the records that changed.
   */
  private async send(entries: readonly TarEntry[], deletes: readonly string[], manifest: ManifestUpdate, signal?: AbortSignal): Promise<SyncResult> {
    const result = 'rewrite' in manifest ? manifest.rewrite : manifest.append.result;
    const whole = 'rewrite' in manifest ? [{ type: 'file' as const, path: MANIFEST_NAME, data: serializeManifest(result), mode: 0o644, mtime: Math.floor(Date.now() / 1000) }] : [];
    const delta = 'append' in manifest ? serializeManifestDelta(manifest.append.added, manifest.append.removed) : Buffer.alloc(0);
    const tar = buildTar([...entries, ...whole]);
    const deleteList = Buffer.from(deletes.map((p) => `${p}\0`).join(''), 'utf8');
    const stdin = Buffer.concat([deleteList, delta, tar]);
    const line = this.inContainer(SYNC_SCRIPT, this.options.dest, String(deleteList.length), String(delta.length));
    this.manifest = undefined; // unknown until the container confirms
    const exec = await this.options.host.exec(line, { stdin, ...(signal ? { signal } : {}) });
    expectSuccess(`sync into ${this.options.container}:${this.options.dest}`, exec, `Syncing ${this.options.localDir} into ${this.options.container}:${this.options.dest} failed`);
    if (exec.stderr.trim() !== '') this.logger.warn(`[${this.options.container}] ${exec.stderr.trim()}`);
    this.manifest = new Set(result);
    this.appendable = true;
    this.logger.info(`[${this.options.container}] synced ${entries.length} file(s), deleted ${deletes.length}, ${stdin.length} bytes → ${this.options.dest}`);
    return { sent: entries.length, deleted: deletes, bytes: stdin.length };
  }

  private async remoteManifest(signal: AbortSignal | undefined, fresh: boolean): Promise<Set<string>> {
    if (this.manifest && !fresh) return this.manifest;
    const result = await this.options.host.exec(this.inContainer(READ_MANIFEST, this.options.dest), signal ? { signal } : {});
    expectSuccess('read manifest', result, `Reading ${this.options.dest}/${MANIFEST_NAME} in ${this.options.container} failed`);
    const state = readManifest(result.stdout);
    this.manifest = state.paths;
    this.appendable = state.appendable;
    return this.manifest;
  }

  private inContainer(script: string, ...args: string[]): string {
    return shellJoin(this.options.runtime.execArgv(this.options.container, ['sh', '-c', script, 'sh', ...args]));
  }

  private relativize(path: string): string {
    const rel = isAbsolute(path) ? relative(this.options.localDir, path) : path;
    return assertSafeRelativePath(rel.split(sep).join('/').replace(/\/+$/, ''));
  }

  private serialized<T>(body: () => Promise<T>): Promise<T> {
    const next = this.queue.then(body, body);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
