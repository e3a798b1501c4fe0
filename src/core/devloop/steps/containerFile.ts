import type { ShellRunner } from '../../process/types';
import { expectSuccess } from '../../process/types';
import type { ContainerRuntime } from '../../runtime/types';
import { shellJoin } from '../../shell/quote';
import { assertContainerPath } from './containerPaths';

/** A file inside a container as it was: bytes (base64), mode and owner, or absent. */
export type FileSnapshot =
  | { readonly path: string; readonly exists: false }
  | { readonly path: string; readonly exists: true; readonly mode: string; readonly uid: number; readonly gid: number; readonly base64: string };

/** Journal originals live in a JSON document on the host: keep files that large out of it. */
export const MAX_SNAPSHOT_BYTES = 1024 * 1024;

// Constant scripts run inside the container; the path and metadata are positional parameters.
const READ = [
  'if [ ! -e "$1" ]; then echo absent; exit 0; fi',
  'if [ ! -f "$1" ]; then echo "not a regular file: $1" >&2; exit 4; fi',
  'size=$(stat -c %s "$1") || exit 1',
  'if [ "$size" -gt "$2" ]; then echo "$1 is $size bytes, larger than $2" >&2; exit 5; fi',
  'stat -c "%a %u %g" "$1" && base64 -w0 "$1" && echo',
].join('\n');
// Write beside the target, set mode and owner, then rename: readers never see half a file.
const WRITE = [
  'dir=$(dirname "$1") && mkdir -p "$dir" || exit 1',
  'tmp="$1.osa-dev.$$"',
  'if cat > "$tmp" && chmod "$2" "$tmp" && chown "$3:$4" "$tmp" && mv -f "$tmp" "$1"; then exit 0; fi',
  'rm -f "$tmp"; exit 1',
].join('\n');

/** argv as it runs on the host: inside a container (the runtime's exec) or on the host itself (as is). */
export type ArgvWrapper = (argv: string[]) => string[];

export async function readContainerFile(host: ShellRunner, runtime: ContainerRuntime, container: string, path: string): Promise<FileSnapshot> {
  return readFileVia(host, (argv) => runtime.execArgv(container, argv), `in ${container}`, path);
}

/** Writes `content` atomically, keeping `like`'s mode and owner (root 0644 for a new file). */
export async function writeContainerFile(
  host: ShellRunner,
  runtime: ContainerRuntime,
  container: string,
  path: string,
  content: Uint8Array,
  like?: FileSnapshot,
): Promise<void> {
  await writeFileVia(host, (argv) => runtime.execArgv(container, argv), `in ${container}`, path, content, like);
}

/** Puts a file back exactly as snapshotted: same bytes, mode and owner, or removes it if it was absent. */
export async function restoreContainerFile(host: ShellRunner, runtime: ContainerRuntime, container: string, snapshot: FileSnapshot): Promise<void> {
  await restoreFileVia(host, (argv) => runtime.execArgv(container, argv), `in ${container}`, snapshot);
}

/** Snapshot of a file `where` (e.g. "in heat_api", "on the host") through `wrap`. */
export async function readFileVia(host: ShellRunner, wrap: ArgvWrapper, where: string, path: string): Promise<FileSnapshot> {
  const argv = wrap(['sh', '-c', READ, 'sh', assertContainerPath(path), String(MAX_SNAPSHOT_BYTES)]);
  const result = expectSuccess(`read ${path}`, await host.exec(shellJoin(argv), { secretOutput: true }), `Reading ${path} ${where} failed`);
  const [meta, base64 = ''] = result.stdout.split('\n');
  if (meta === 'absent') return { path, exists: false };
  const [mode, uid, gid] = (meta ?? '').split(' ');
  if (!mode || !/^[0-7]{3,4}$/.test(mode) || uid === undefined || gid === undefined) {
    throw new Error(`Unexpected stat output for ${path} ${where}: ${JSON.stringify(meta)}`);
  }
  return { path, exists: true, mode, uid: Number(uid), gid: Number(gid), base64 };
}

export async function writeFileVia(host: ShellRunner, wrap: ArgvWrapper, where: string, path: string, content: Uint8Array, like?: FileSnapshot): Promise<void> {
  const meta = like?.exists ? like : { mode: '644', uid: 0, gid: 0 };
  const argv = wrap(['sh', '-c', WRITE, 'sh', assertContainerPath(path), meta.mode, String(meta.uid), String(meta.gid)]);
  expectSuccess(`write ${path}`, await host.exec(shellJoin(argv), { stdin: content }), `Writing ${path} ${where} failed`);
}

export async function restoreFileVia(host: ShellRunner, wrap: ArgvWrapper, where: string, snapshot: FileSnapshot): Promise<void> {
  if (!snapshot.exists) {
    const argv = wrap(['rm', '-f', assertContainerPath(snapshot.path)]);
    expectSuccess(`rm ${snapshot.path}`, await host.exec(shellJoin(argv)), `Removing ${snapshot.path} ${where} failed`);
    return;
  }
  await writeFileVia(host, wrap, where, snapshot.path, Buffer.from(snapshot.base64, 'base64'), snapshot);
}
