/** The local working tree as the sync sees it: git's file list, then each file's bytes and mode. */
import { execFile } from 'node:child_process';
import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { TarEntry } from './tar';

export function git(dir: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', ['-C', dir, ...args], { encoding: 'buffer', maxBuffer: 256 << 20, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} in ${dir} failed: ${stderr.toString('utf8').trim() || error.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

function splitNul(data: Buffer): string[] {
  const paths = data.toString('utf8').split('\0');
  paths.pop();
  return paths;
}

/** Tracked plus untracked-not-ignored files (`git ls-files -co --exclude-standard -z`), deduplicated. */
export async function listWorkingTree(dir: string, pathspecs: readonly string[] = []): Promise<string[]> {
  const out = await git(dir, ['ls-files', '-co', '--exclude-standard', '-z', '--', ...pathspecs.map((p) => `:(literal)${p}`)]);
  return [...new Set(splitNul(out))];
}

/** Which of these paths git ignores (tracked files never count as ignored). */
export async function ignoredPaths(dir: string, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  try {
    return new Set(splitNul(await git(dir, ['check-ignore', '-z', '--stdin'], paths.map((p) => `${p}\0`).join(''))));
  } catch {
    // check-ignore exits 1 when nothing is ignored.
    return new Set();
  }
}

export type LocalState = { readonly kind: 'entry'; readonly entry: TarEntry } | { readonly kind: 'directory' } | { readonly kind: 'absent' };

/** One path's content as a tar entry: regular files (0755 when any x bit is set, else 0644, as git does) and symlinks. */
export async function readLocal(dir: string, path: string): Promise<LocalState> {
  const full = join(dir, path);
  let stats;
  try {
    stats = await lstat(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return { kind: 'absent' };
    throw error;
  }
  const mtime = Math.floor(stats.mtimeMs / 1000);
  if (stats.isSymbolicLink()) return { kind: 'entry', entry: { type: 'symlink', path, target: await readlink(full), mtime } };
  if (stats.isDirectory()) return { kind: 'directory' };
  if (!stats.isFile()) return { kind: 'absent' };
  const data = await readFile(full);
  return { kind: 'entry', entry: { type: 'file', path, data, mode: stats.mode & 0o111 ? 0o755 : 0o644, mtime } };
}
