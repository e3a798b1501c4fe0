import type { ShellRunner } from '../../process/types';
import type { ContainerRuntime } from '../../runtime/types';
import { shellJoin } from '../../shell/quote';
import { shownValue } from '../../text/shownValue';

export type PathKind = 'file' | 'directory' | 'symlink' | 'other';

export interface PathStat {
  readonly kind: PathKind;
  readonly size: number;
  readonly mtimeMs: number;
}

export class ContainerPathNotFound extends Error {
  constructor(readonly container: string, readonly path: string) {
    super(`${path} does not exist in ${container}`);
    this.name = 'ContainerPathNotFound';
  }
}

/** A path inside a container as users give it: absolute, no "..", no NUL or line break. */
export function assertContainerPath(path: string): string {
  if (!path.startsWith('/') || path.length > 4096 || path.split('/').includes('..') || /[\0\r\n]/.test(path)) {
    throw new Error(`Refusing the path ${shownValue(path)}: it must be absolute, at most 4096 characters, without "..", NUL or line breaks.`);
  }
  return path;
}

// Constant scripts; the path is a positional parameter. Exit 3 means "does not exist".
const STAT = 'if [ ! -e "$1" ]; then exit 3; fi; stat -L -c "%F|%s|%Y" "$1"';
const LIST = 'if [ ! -d "$1" ]; then exit 3; fi; find "$1" -mindepth 1 -maxdepth 1 -printf "%y/%f\\0"';

function kindOf(text: string): PathKind {
  if (text === 'regular file' || text === 'regular empty file') return 'file';
  if (text === 'directory') return 'directory';
  if (text === 'symbolic link') return 'symlink';
  return 'other';
}

export async function statContainerPath(host: ShellRunner, runtime: ContainerRuntime, container: string, path: string): Promise<PathStat> {
  const result = await host.exec(shellJoin(runtime.execArgv(container, ['sh', '-c', STAT, 'sh', assertContainerPath(path)])));
  if (result.code === 3) throw new ContainerPathNotFound(container, path);
  if (result.code !== 0) throw new Error(`stat ${shownValue(path)} in ${container} failed: ${result.stderr.trim().slice(-500)}`);
  const [kind = '', size = '0', mtime = '0'] = result.stdout.trim().split('|');
  return { kind: kindOf(kind), size: Number(size), mtimeMs: Number(mtime) * 1000 };
}

/** Entries of a directory (names may hold any byte but NUL and '/': the listing is NUL-separated). */
export async function listContainerDir(
  host: ShellRunner,
  runtime: ContainerRuntime,
  container: string,
  path: string,
): Promise<{ name: string; kind: PathKind }[]> {
  const result = await host.exec(shellJoin(runtime.execArgv(container, ['sh', '-c', LIST, 'sh', assertContainerPath(path)])));
  if (result.code === 3) throw new ContainerPathNotFound(container, path);
  if (result.code !== 0) throw new Error(`listing ${shownValue(path)} in ${container} failed: ${result.stderr.trim().slice(-500)}`);
  const kinds: Record<string, PathKind> = { f: 'file', d: 'directory', l: 'symlink' };
  return result.stdout
    .split('\0')
    .filter((entry) => entry.length > 2)
    .map((entry) => ({ kind: kinds[entry[0]!] ?? 'other', name: entry.slice(2) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
