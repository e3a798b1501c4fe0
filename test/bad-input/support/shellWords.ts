/**
 * How a real POSIX shell splits command lines: every line is evaluated as `set -- LINE` by one
 * local bash, inside an empty folder, and its words printed NUL-separated. A line whose quoting
 * is broken would run (part of) a value here: canary files in that folder prove it never does.
 */
import { spawnSync } from 'node:child_process';

export function shellWords(lines: readonly string[], cwd: string): string[][] {
  if (lines.length === 0) return [];
  // Per line: its word count, then the words; one record separator (\x1e\0) after each line.
  const script = 'while IFS= read -r -d "" line; do eval "set -- $line"; printf "%s\\0" "$#" "$@"; printf "\\036\\0"; done';
  const input = Buffer.concat(lines.map((line) => Buffer.from(`${line}\0`, 'utf8')));
  const result = spawnSync('bash', ['--noprofile', '--norc', '-c', script], { cwd, input, maxBuffer: 1 << 30, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  if (result.status !== 0) throw new Error(`bash failed (${result.status}): ${result.stderr.toString().slice(0, 400)}`);
  const fields = result.stdout.toString('utf8').split('\0');
  const out: string[][] = [];
  let i = 0;
  while (out.length < lines.length) {
    const count = Number(fields[i++]);
    out.push(fields.slice(i, i + count));
    i += count;
    if (fields[i++] !== '\x1e') throw new Error(`shellWords lost track at line ${out.length}: ${JSON.stringify(lines[out.length - 1]?.slice(0, 200))}`);
  }
  return out;
}
