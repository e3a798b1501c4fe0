// Bundles the extension-host suite test/vscode/index.ts -> out/test/vscode/index.js (CommonJS,
// `vscode` external, mocha inside), with the root's esbuild. The bundle lives inside the
// extension folder, so VS Code gives the tests the same `vscode` API object as the extension.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const esbuild = createRequire(path.join(root, 'package.json'))('esbuild');

await esbuild.build({
  entryPoints: [path.join(root, 'test/vscode/index.ts')],
  outfile: path.join(root, 'out/test/vscode/index.js'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['vscode'],
  // mocha comes from test/e2e/node_modules (kept out of the extension's own dependencies).
  nodePaths: [path.join(here, 'node_modules')],
  // mocha's optional file watcher and ESM loader are not used by a programmatic run.
  logOverride: { 'require-resolve-not-external': 'silent', 'unsupported-dynamic-import': 'silent' },
});
