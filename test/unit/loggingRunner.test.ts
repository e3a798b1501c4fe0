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
