// Runs every *.test.ts under the given folders with node's test runner (Node 20 does not expand
// globs itself). Extra flags after `--` go to node --test, e.g. `-- --test-concurrency=1`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const separator = process.argv.indexOf('--');
const folders = process.argv.slice(2, separator < 0 ? undefined : separator);
const extra = separator < 0 ? [] : process.argv.slice(separator + 1);

function collect(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return collect(path);
      return path.endsWith('.test.ts') ? [path] : [];
    });
}

const files = folders.flatMap(collect);
if (files.length === 0) {
  console.error(`no *.test.ts files under ${folders.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...extra, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
