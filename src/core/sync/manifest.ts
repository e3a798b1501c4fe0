/**
 * `.osa-dev-manifest`: what the last sync put in the destination, so that files deleted locally
 * are deleted there too, and nothing else is. Pure.
 */

export const MANIFEST_NAME = '.osa-dev-manifest';
const MAGIC = 'osa-dev-manifest 1\n';

/** A path relative to the destination: no "..", ".", empty part, absolute path, NUL or the manifest itself. */
export function isSafeRelativePath(path: string): boolean {
  return (
    path !== '' &&
    path !== MANIFEST_NAME &&
    !path.startsWith('/') &&
    !path.includes('\0') &&
    !path.split('/').some((part) => part === '' || part === '.' || part === '..') &&
    Buffer.byteLength(path, 'utf8') <= 4096
  );
}

export function assertSafeRelativePath(path: string): string {
  if (!isSafeRelativePath(path)) throw new Error(`Refusing the path ${JSON.stringify(path)}: it is not a plain relative path inside the destination.`);
  return path;
}

/** NUL-separated paths after a magic line (paths may contain newlines). */
export function serializeManifest(paths: Iterable<string>): Buffer {
  const sorted = [...new Set(paths)].map(assertSafeRelativePath).sort();
  return Buffer.from(MAGIC + sorted.map((p) => `${p}\0`).join(''), 'utf8');
}

/** An empty or missing manifest is no manifest; unknown content is refused (never guess what to delete). */
export function parseManifest(data: Uint8Array | string): Set<string> {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  if (text === '') return new Set();
  if (!text.startsWith(MAGIC)) throw new Error(`${MANIFEST_NAME} is not an osa-dev manifest; delete it to sync from scratch.`);
  const paths = text.slice(MAGIC.length).split('\0');
  paths.pop();
  return new Set(paths.map(assertSafeRelativePath));
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
