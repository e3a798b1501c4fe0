/**
 * `.osa-dev-manifest`: what the last sync put in the destination, so that files deleted locally
 * are deleted there too, and nothing else is. Pure.
 */
import { shownValue } from '../text/shownValue';

export const MANIFEST_NAME = '.osa-dev-manifest';
/** Where the sync script parks an appended delta until the tar stream is unpacked. */
export const MANIFEST_DELTA_NAME = '.osa-dev-manifest.part';
// Version 1: NUL-terminated paths. Version 2: NUL-terminated records, `+path` (synced) or `-path`
// (deleted), read in order; a save appends only its own records instead of resending every path.
const MAGIC_V1 = 'osa-dev-manifest 1\n';
const MAGIC_V2 = 'osa-dev-manifest 2\n';

/** A path relative to the destination: no "..", ".", empty part, absolute path, NUL or the manifest itself. */
export function isSafeRelativePath(path: string): boolean {
  return (
    path !== '' &&
    path !== MANIFEST_NAME &&
    path !== MANIFEST_DELTA_NAME &&
    !path.startsWith('/') &&
    !path.includes('\0') &&
    !path.split('/').some((part) => part === '' || part === '.' || part === '..') &&
    Buffer.byteLength(path, 'utf8') <= 4096
  );
}

export function assertSafeRelativePath(path: string): string {
  if (!isSafeRelativePath(path)) throw new Error(`Refusing the path ${shownValue(path)}: it is not a plain relative path inside the destination.`);
  return path;
}

/** The whole manifest (version 2): one `+path` record per path, sorted. */
export function serializeManifest(paths: Iterable<string>): Buffer {
  const sorted = [...new Set(paths)].map(assertSafeRelativePath).sort();
  return Buffer.from(MAGIC_V2 + sorted.map((p) => `+${p}\0`).join(''), 'utf8');
}

/** Records to append to a version-2 manifest: removals first, then additions (empty when the set of paths is unchanged). */
export function serializeManifestDelta(added: Iterable<string>, removed: Iterable<string>): Buffer {
  const records = [...[...new Set(removed)].map(assertSafeRelativePath).sort().map((p) => `-${p}\0`), ...[...new Set(added)].map(assertSafeRelativePath).sort().map((p) => `+${p}\0`)];
  return Buffer.from(records.join(''), 'utf8');
}

export interface ManifestState {
  readonly paths: Set<string>;
  /** True when a delta may be appended (a version-2 manifest); a missing or version-1 one is rewritten whole. */
  readonly appendable: boolean;
}

/** An empty or missing manifest is no manifest; unknown content is refused (never guess what to delete). */
export function readManifest(data: Uint8Array | string): ManifestState {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  if (text === '') return { paths: new Set(), appendable: false };
  if (text.startsWith(MAGIC_V1)) return { paths: new Set(nulTerminated(text.slice(MAGIC_V1.length)).map(assertSafeRelativePath)), appendable: false };
  if (!text.startsWith(MAGIC_V2)) throw new Error(`${MANIFEST_NAME} is not an osa-dev manifest; delete it to sync from scratch.`);
  const paths = new Set<string>();
  for (const record of nulTerminated(text.slice(MAGIC_V2.length))) {
    const path = assertSafeRelativePath(record.slice(1));
    if (record.startsWith('+')) paths.add(path);
    else if (record.startsWith('-')) paths.delete(path);
    else throw new Error(`${MANIFEST_NAME} has a record that is neither +path nor -path; delete it to sync from scratch.`);
  }
  return { paths, appendable: true };
}

/** The paths a manifest lists (see readManifest). */
export function parseManifest(data: Uint8Array | string): Set<string> {
  return readManifest(data).paths;
}

// A record cut short (no closing NUL) is dropped: the sync that wrote it did not finish.
function nulTerminated(body: string): string[] {
  const parts = body.split('\0');
  parts.pop();
  return parts;
}

/**
 * Paths to delete in the destination: what was synced before and is no longer present, plus any
 * earlier file that is now a parent directory of something sent (a file became a directory).
 */
export function computeDeletes(previous: ReadonlySet<string>, present: ReadonlySet<string>, sent: Iterable<string> = []): string[] {
  const deletes = new Set<string>();
  for (const path of previous) if (!present.has(path)) deletes.add(path);
  for (const path of sent) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (previous.has(parent)) deletes.add(parent);
    }
  }
  return [...deletes].map(assertSafeRelativePath).sort();
}
