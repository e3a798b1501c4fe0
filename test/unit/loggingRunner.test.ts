import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoggingRunner } from '../../src/core/process/loggingRunner';

test('commands and outcomes are logged, stdin never is', async () => {
  const lines: string[] = [];
  const log = (m: string | Error): void => void lines.push(String(m));
  const runner = new LoggingRunner(
    { exec: async () => ({ code: 1, stdout: 'a\nb\n', stderr: 'boom\n' }) },
    { trace: log, debug: log, info: log, warn: log, error: log },
    'aio1',
  );
  await runner.exec("echo 'x'", { stdin: 'hunter2-secret' });
  const all = lines.join('\n');
  assert.match(all, /\[aio1\] \$ echo 'x'/);
  assert.match(all, /exit 1/);
  assert.match(all, /boom/);
  assert.doesNotMatch(all, /hunter2/);
});

test('output flagged secret is logged by size only, on success and on failure', async () => {
  for (const code of [0, 1]) {
    const lines: string[] = [];
    const log = (m: string | Error): void => void lines.push(String(m));
    const runner = new LoggingRunner(
      { exec: async () => ({ code, stdout: 'admin_password = hunter2-canary\n', stderr: code ? 'cat: failed\n' : '' }) },
      { trace: log, debug: log, info: log, warn: log, error: log },
      'aio1',
    );
    const result = await runner.exec('cat /etc/heat/heat.conf', { secretOutput: true });
    assert.equal(result.stdout, 'admin_password = hunter2-canary\n', 'the caller still gets the output');
    const all = lines.join('\n');
    assert.doesNotMatch(all, /hunter2/);
    assert.match(all, /32 bytes, not logged/);
    if (code) assert.match(all, /cat: failed/, 'stderr is still logged');
  }
});

test('runCommand passes a spec\'s secretOutput flag to the runner', async () => {
  const { runCommand } = await import('../../src/core/process/runCommand');
  const { readConfigFiles } = await import('../../src/core/haproxy/configEdit');
  const seen: (boolean | undefined)[] = [];
  await runCommand({ exec: async (_line, options) => (seen.push(options?.secretOutput), { code: 0, stdout: '', stderr: '' }) }, readConfigFiles());
  assert.deepEqual(seen, [true]);
});
