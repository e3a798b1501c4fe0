/** Byte-for-byte views of a tree: locally (node) and inside a container (python3 there), same shape. */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ShellRunner } from '../../../src/core/process/types';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import { shellJoin } from '../../../src/core/shell/quote';

/** path → "file <mode> <sha256>" or "link <target>". */
export type Snapshot = Record<string, string>;

export function localSnapshot(dir: string, paths: readonly string[]): Snapshot {
  const out: Snapshot = {};
  for (const path of paths) {
    const full = join(dir, path);
    // A tracked file deleted in the working tree is gone (git still lists it until staged).
    if (!existsSync(full) && !isLink(full)) continue;
    const stats = lstatSync(full);
    if (stats.isDirectory()) continue;
    out[path] = stats.isSymbolicLink()
      ? `link ${readlinkSync(full)}`
      : `file ${(stats.mode & 0o111 ? 0o755 : 0o644).toString(8)} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`;
  }
  return out;
}

const PY = [
  'import hashlib, json, os, stat, sys',
  'root = sys.argv[1]; out = {}',
  'for d, dirs, files in os.walk(root):',
  '    for n in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]:',
  '        p = os.path.join(d, n); r = os.path.relpath(p, root)',
  '        if r == ".osa-dev-manifest": continue',
  '        s = os.lstat(p)',
  '        if stat.S_ISLNK(s.st_mode): out[r] = "link " + os.readlink(p)',
  '        else: out[r] = "file %o %s" % (stat.S_IMODE(s.st_mode), hashlib.sha256(open(p, "rb").read()).hexdigest())',
  'print(json.dumps(out, ensure_ascii=True))',
].join('\n');

export async function containerSnapshot(host: ShellRunner, container: string, dir: string): Promise<Snapshot> {
  const result = await host.exec(shellJoin(new LxcRuntime().execArgv(container, ['python3', '-c', PY, dir])));
  if (result.code !== 0) throw new Error(`snapshot failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Snapshot;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
