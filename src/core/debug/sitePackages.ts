import type { ShellRunner } from '../process/types';
import type { ContainerRuntime } from '../runtime/types';
import { shellJoin } from '../shell/quote';

// $1 the dev venv's python: every site-packages directory on its sys.path (its own, then the
// production venv's that the dev venv's .pth appends), one a line.
const LIST = `"$1" -B -c 'import sys
for p in sys.path:
    if p.endswith(("/site-packages", "/dist-packages")):
        print(p)'`;

/** The site-packages directories the dev process imports library code from (one round trip). */
export async function remoteSitePackages(host: ShellRunner, runtime: ContainerRuntime, container: string, devVenv: string): Promise<string[]> {
  if (!devVenv.startsWith('/')) throw new Error(`The dev venv must be an absolute path, not ${JSON.stringify(devVenv)}.`);
  const result = await host.exec(shellJoin(runtime.execArgv(container, ['sh', '-c', LIST, 'sh', `${devVenv}/bin/python`])));
  if (result.code !== 0) throw new Error(`Could not list the site-packages of ${devVenv} in ${container}: ${result.stderr.trim() || `exit ${result.code}`}.`);
  return result.stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('/'));
}
