// Fails when anything under src/core imports `vscode` or the extension layer: the core must stay
// usable from the CLI, tests and benchmarks without VS Code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const importSpecifier = /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"]([^'"]+)['"]/g;
const extensionDir = resolve('src/extension');
const offenders = [];

function isForbidden(file, specifier) {
  if (specifier === 'vscode') return true;
  return specifier.startsWith('.') && resolve(dirname(file), specifier).startsWith(extensionDir);
}

function walk(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      walk(path);
      continue;
    }
    if (!path.endsWith('.ts')) continue;
    readFileSync(path, 'utf8').split('\n').forEach((line, index) => {
      for (const match of line.matchAll(importSpecifier)) {
        if (isForbidden(path, match[1])) offenders.push(`${path}:${index + 1}: ${line.trim()}`);
      }
    });
  }
}

walk('src/core');
if (offenders.length > 0) {
  console.error('src/core must not import vscode or the extension layer:\n' + offenders.join('\n'));
  process.exit(1);
}
console.log('layers: src/core is free of vscode');
