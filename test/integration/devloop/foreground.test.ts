/** The foreground dev process on the lab: a real PTY over SSH, lxc-attach, setpriv, Ctrl-C. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { devPidFile, foregroundArgv, stopForegroundArgv } from '../../../src/core/devloop/foreground';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import { shellJoin } from '../../../src/core/shell/quote';
import type { PtySession, SshHost } from '../../../src/core/ssh';
import { connectLab, readLab } from '../../support/lab';

const runtime = new LxcRuntime();
let ssh: SshHost;
let container: string;
let venv: string;

before(() => {
  const lab = readLab();
  container = lab.containers.find((c) => c.service === 'utility')!.name;
  venv = lab.venv;
  ssh = connectLab();
});
after(async () => {
  await ssh.exec(shellJoin(stopForegroundArgv(runtime, container, 'osa-dev-sleeper')));
  ssh.dispose();
});

/** Collects PTY output until `pattern` shows up (or fails after `ms`). */
function waitFor(session: PtySession, output: { text: string }, pattern: RegExp, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(output.text.slice(-400))}`)), ms);
    const check = (): void => {
      if (pattern.test(output.text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    session.onData(() => setImmediate(check));
    check();
  });
}

async function start(argv: string[]): Promise<{ session: PtySession; output: { text: string }; exit: Promise<number | null> }> {
  const line = shellJoin(foregroundArgv(runtime, container, { unit: 'osa-dev-sleeper', user: 'nobody', argv, env: { GREETING: "it's me" } }));
  const session = await ssh.openPty(line, { rows: 24, cols: 100 });
  const output = { text: '' };
  const decoder = new TextDecoder();
  session.onData((chunk) => (output.text += decoder.decode(chunk, { stream: true })));
  const exit = new Promise<number | null>((resolve) => session.onExit((e) => resolve(e.code)));
  return { session, output, exit };
}

const SLEEPER = ['sh', '-c', 'echo "pid=$$ user=$(id -un) greeting=$GREETING tty=$(tty)"; trap "echo got-INT; exit 130" INT; while :; do sleep 0.2; done'];

test('runs as the service user with its env on a PTY; Ctrl-C stops it', async () => {
  const { session, output, exit } = await start(SLEEPER);
  await waitFor(session, output, /pid=\d+ user=nobody greeting=it's me tty=\/dev\/pts\//);
  const pid = /pid=(\d+)/.exec(output.text)![1];
  const recorded = await ssh.exec(shellJoin(runtime.execArgv(container, ['cat', devPidFile('osa-dev-sleeper')])));
  assert.equal(recorded.stdout.trim(), pid, 'the pid file names the service process itself');
  session.write('\x03');
  await waitFor(session, output, /got-INT/);
  assert.notEqual(await exit, null);
});

test('starting again stops the previous dev process: never two', async () => {
  const first = await start(SLEEPER);
  await waitFor(first.session, first.output, /pid=\d+/);
  const second = await start(SLEEPER);
  await waitFor(second.session, second.output, /pid=\d+/);
  await first.exit;
  const count = await ssh.exec(shellJoin(runtime.execArgv(container, ['sh', '-c', 'pgrep -u nobody -f "trap .echo got-INT" | wc -l'])));
  assert.equal(count.stdout.trim(), '1');
  await ssh.exec(shellJoin(stopForegroundArgv(runtime, container, 'osa-dev-sleeper')));
  await second.exit;
});

test('the journaled stop kills a dev process left behind by a closed connection', async () => {
  const { session, output } = await start(SLEEPER);
  await waitFor(session, output, /pid=\d+/);
  const pid = /pid=(\d+)/.exec(output.text)![1]!;
  const stop = await ssh.exec(shellJoin(stopForegroundArgv(runtime, container, 'osa-dev-sleeper')));
  assert.equal(stop.code, 0);
  const alive = await ssh.exec(shellJoin(runtime.execArgv(container, ['sh', '-c', 'kill -0 "$1" 2>/dev/null && echo alive || echo gone', 'sh', pid])));
  assert.equal(alive.stdout.trim(), 'gone');
  assert.ok(venv.startsWith('/openstack/venvs/'));
});
