// The same extension-host suite on desktop VS Code via @vscode/test-electron (the root's
// devDependency). Needs internet: it downloads VS Code from Microsoft's update server, which these
// CI machines cannot reach — here use run-vscode-tests.sh (code-server) instead.
//   npm run build && node test/e2e/build-vscode-tests.mjs && node test/e2e/run-electron.mjs
// Env: VSCODE_VERSION (default 1.100.3, the version the code-server run uses), CI, OSA_E2E_GREP.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAB_ALIAS, prepareProfile, ROOT, writeLabSshFiles } from './lib/workbench.mjs';

const { runTests } = createRequire(path.join(ROOT, 'package.json'))('@vscode/test-electron');
const scratch = fs.mkdtempSync('/tmp/osa-e2e-electron-');
const ssh = writeLabSshFiles(scratch, { trustHostKey: true, trustNodeKeys: true });
const dirs = prepareProfile(scratch, {
  'osaDev.hosts': [{ host: LAB_ALIAS }],
  'osaDev.sshConfigFile': ssh.config,
  'osaDev.knownHostsFile': ssh.knownHosts,
});

try {
  await runTests({
    version: process.env.VSCODE_VERSION || '1.100.3',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out/test/vscode/index.js'),
    launchArgs: [dirs.workspace, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--disable-workspace-trust'],
    extensionTestsEnv: { CI: process.env.CI ?? '', OSA_E2E_GREP: process.env.OSA_E2E_GREP ?? '' },
  });
  fs.rmSync(scratch, { recursive: true, force: true });
} catch (error) {
  console.error(`extension-host tests failed: ${error instanceof Error ? error.message : error} (scratch ${scratch})`);
  process.exit(1);
}
