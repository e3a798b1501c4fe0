/**
 * `npm run bench`: every benchmark script in bench/, one after the other, each printing its own
 * table; then one table of their headline figures (a script's `summary:` lines, else its last line).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { printTable } from './stats';

const HELPERS = new Set(['run-all.ts', 'stats.ts']);
const scripts = readdirSync(__dirname)
  .filter((file) => file.endsWith('.ts') && !HELPERS.has(file))
  .sort();

const rows: string[][] = [];
for (const script of scripts) {
  console.log(`\n=== bench/${script}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, script)], { encoding: 'utf8' });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  const lines = result.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  const summaries = lines.filter((line) => line.startsWith('summary:')).map((line) => line.slice('summary:'.length).trim());
  const headline = summaries.length > 0 ? summaries : [lines.at(-1) ?? ''];
  headline.forEach((text, i) => rows.push([i === 0 ? script.replace(/\.ts$/, '') : '', i === 0 ? (result.status === 0 ? 'ok' : 'FAILED') : '', i === 0 ? `${((Date.now() - started) / 1000).toFixed(1)} s` : '', text]));
}
printTable('benchmarks', ['script', 'status', 'took', 'headline'], rows);
process.exit(rows.some((row) => row[1] === 'FAILED') ? 1 : 0);
