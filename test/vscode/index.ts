/**
 * Extension-host test entry (the `extensionTestsPath` module): the same bundle runs under
 * `@vscode/test-electron` on a desktop (see .vscode-test.mjs) and inside code-server here
 * (test/e2e/run-vscode-tests.sh). VS Code calls run(); a rejection means failed tests.
 */
import type { MochaConstructor } from './mocha';

export function run(): Promise<void> {
  // mocha is bundled (from test/e2e/node_modules) by test/e2e/build-vscode-tests.mjs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha') as MochaConstructor;
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    timeout: 20_000,
    grep: process.env.OSA_E2E_GREP || undefined,
  });
  mocha.suite.emit('pre-require', globalThis, 'out/test/vscode/index.js', mocha);
  // Loaded after pre-require: the suites call mocha's globals at load time. OSA_E2E_SUITES=gerrit,lab
  // loads only those files (a short run under the lab lock); by default every suite.
  const suites: Record<string, () => unknown> = {
    extension: () => require('./extension.test'),
    lab: () => require('./lab.test'),
    devloop: () => require('./devloop.test'),
    // Library breakpoints (osaDev.debug.sitePackages) in a file of their own, loaded with the debug suite.
    debug: () => [require('./debug.test'), require('./debugLibraries.test')],
    gerrit: () => require('./gerrit.test'),
    aio: () => require('./aio.test'),
    pipIndex: () => require('./pipIndex.test'),
    kolla: () => require('./kolla.test'),
    multinode: () => require('./multinode.test'),
  };
  const only = (process.env.OSA_E2E_SUITES ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = only.filter((name) => !(name in suites));
  if (unknown.length > 0) throw new Error(`OSA_E2E_SUITES names unknown suites: ${unknown.join(', ')} (known: ${Object.keys(suites).join(', ')})`);
  for (const [name, load] of Object.entries(suites)) if (only.length === 0 || only.includes(name)) load();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
      // The plain closing line CI reads.
      console.log(`vscode: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
  });
}
