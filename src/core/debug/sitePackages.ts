import { readdirSync } from 'node:fs';
import type { ShellRunner } from '../process/types';
import type { ContainerRuntime } from '../runtime/types';
import { shellJoin } from '../shell/quote';

/** One site-packages directory the dev process imports from, and its top-level packages and modules. */
export interface RemoteSitePackages {
  readonly dir: string;
  readonly entries: readonly string[];
}

/** A top-level importable name: a package directory or a `.py` module (not metadata, caches or .pth files). */
export function isImportableEntry(name: string): boolean {
  return name !== '__pycache__' && /^[A-Za-z_][A-Za-z0-9_]*(\.py)?$/.test(name);
}

// $1 the dev venv's python: every site-packages directory on its sys.path in import order (its own,
// then the production venv's that the dev venv's .pth appends), each as "D<TAB>dir" followed by its
// importable top-level names as "E<TAB>name".
const LIST = `"$1" -B -c 'import os, re, sys
importable = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\\.py)?$")
for p in sys.path:
    if p.endswith(("/site-packages", "/dist-packages")) and os.path.isdir(p):
        print("D\\t" + p)
        for name in sorted(os.listdir(p)):
            if name != "__pycache__" and importable.match(name):
                print("E\\t" + name)'`;

/** The site-packages directories the dev process imports library code from, with their entries (one round trip). */
export async function remoteSitePackages(host: ShellRunner, runtime: ContainerRuntime, container: string, devVenv: string): Promise<RemoteSitePackages[]> {
  if (!devVenv.startsWith('/')) throw new Error(`The dev venv must be an absolute path, not ${JSON.stringify(devVenv)}.`);
  const result = await host.exec(shellJoin(runtime.execArgv(container, ['sh', '-c', LIST, 'sh', `${devVenv}/bin/python`])));
  if (result.code !== 0) throw new Error(`Could not list the site-packages of ${devVenv} in ${container}: ${result.stderr.trim() || `exit ${result.code}`}.`);
  return parseSitePackagesListing(result.stdout);
}

/** Parses LIST's output (pure, for tests). */
export function parseSitePackagesListing(stdout: string): RemoteSitePackages[] {
  const found: { dir: string; entries: string[] }[] = [];
  let current: { dir: string; entries: string[] } | undefined;
  for (const line of stdout.split('\n')) {
    const [kind, value] = [line.slice(0, 2), line.slice(2).trim()];
    if (kind === 'D\t') {
      // Not an absolute directory: its entries are dropped with it.
      current = value.startsWith('/') ? { dir: value, entries: [] } : undefined;
      if (current) found.push(current);
    } else if (kind === 'E\t' && isImportableEntry(value)) current?.entries.push(value);
  }
  return found;
}

/** The importable top-level names of a local copy of site-packages (osaDev.debug.sitePackages). */
export function localSitePackagesEntries(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw new Error(`The local copy of site-packages ${root} ${why}: fix "sitePackages" (or the osaDev.debug.sitePackages setting), or clear it to let debugpy show library sources read-only.`);
  }
  return names.filter(isImportableEntry).sort();
}
