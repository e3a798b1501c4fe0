/** `npm run bench`: every benchmark script in bench/, one after the other, each printing its table. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const HELPERS = new Set(['run-all.ts', 'stats.ts']);
const scripts = readdirSync(__dirname)
  .filter((file) => file.endsWith('.ts') && !HELPERS.has(file))
  .sort();

let failed = 0;
for (const script of scripts) {
  console.log(`\n=== bench/${script}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, script)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
console.log(`\n${scripts.length - failed} benchmark scripts ran, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
