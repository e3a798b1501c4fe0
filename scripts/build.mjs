// One esbuild bundle: src/extension/main.ts -> dist/extension.js (CommonJS, `vscode` external),
// plus the small CLI over src/core. Types are checked separately by `tsc --noEmit`.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // ssh2's optional native crypto binding: the .vsix stays platform-neutral, ssh2 falls back to JS.
  external: ['vscode', 'cpu-features', '*.node'],
};

const builds = [
  { ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/core/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
