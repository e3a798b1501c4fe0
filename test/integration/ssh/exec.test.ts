import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, connect as tcpConnect, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { CommandCancelledError } from '../../../src/core/ssh/errors';
import type { SshHost } from '../../../src/core/ssh/sshHost';
import { startSshd, type TestSshd } from '../../support/sshd';
import { hostFor, RecordingLogger, trustServer } from './harness';

let sshd: TestSshd;
let host: SshHost;
const logger = new RecordingLogger();

before(async () => {
  sshd = await startSshd();
  trustServer(sshd);
  host = hostFor(sshd, { logger });
});

after(async () => {
  host?.dispose();
  await sshd?.stop();
});

test('exec returns stdout, stderr and exit codes', async () => {
  assert.deepEqual(await host.exec('echo out; echo err >&2; exit 3'), { code: 3, stdout: 'out\n', stderr: 'err\n' });
  assert.equal((await host.exec('true')).code, 0);
  const killed = await host.exec('kill -TERM $$');
  assert.equal(killed.code, null);
  assert.match(killed.signal ?? '', /TERM/);
  assert.ok(logger.lines.some((line) => line.includes('$ echo out; echo err >&2; exit 3')));
});

test('an exec over the reused connection takes well under 100 ms', async () => {
  await host.exec('true');
  const runs = 20;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await host.exec('true');
  const perExecMs = Number(process.hrtime.bigint() - started) / 1e6 / runs;
  console.log(`# exec latency over a reused connection: ${perExecMs.toFixed(1)} ms`);
  assert.ok(perExecMs < 100, `${perExecMs} ms per exec`);
});

test('output streams while the command runs', async () => {
  const chunks: Array<{ at: number; text: string }> = [];
  const started = Date.now();
  const result = await host.exec('echo one; sleep 0.4; echo two', {
    onStdout: (chunk) => chunks.push({ at: Date.now() - started, text: Buffer.from(chunk).toString() }),
  });
  assert.equal(result.stdout, 'one\ntwo\n');
  assert.ok(chunks.length >= 2);
  assert.equal(chunks[0]?.text, 'one\n');
  assert.ok((chunks[0]?.at ?? 1e9) < 300, 'first line arrived before the command ended');
});

test('stdin is delivered, binary-safe, and never logged', async () => {
  const secret = 'hunter2-do-not-log';
  const result = await host.exec('cat; echo; wc -c', { stdin: `${secret}\n` });
  assert.equal(result.stdout, `${secret}\n\n0\n`);
  const bytes = Buffer.from([0, 1, 2, 255, 254, 10]);
  assert.equal((await host.exec('od -An -tx1 | tr -s " "', { stdin: bytes })).stdout.trim(), '00 01 02 ff fe 0a');
  assert.ok(!logger.lines.some((line) => line.includes(secret)));
});

test('PTY exec sees TERM and the window size', async () => {
  const result = await host.exec('echo $TERM; stty size', { pty: { rows: 33, cols: 111, term: 'xterm-256color' } });
  assert.equal(result.stdout.replace(/\r/g, ''), 'xterm-256color\n33 111\n');
});

test('openPty: interactive shell, resize seen by stty size, exit code', async () => {
  const pty = await host.openPty('', { rows: 20, cols: 70, term: 'xterm' });
  let output = '';
  pty.onData((chunk) => (output += Buffer.from(chunk).toString()));
  const exited = new Promise<{ code: number | null }>((resolve) => pty.onExit(resolve));
  const waitFor = async (pattern: RegExp): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${pattern}; got ${JSON.stringify(output)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  pty.write('echo "size:$(stty size)"\n');
  await waitFor(/size:20 70/);
  pty.resize(45, 132);
  await new Promise((r) => setTimeout(r, 100));
  pty.write('echo "size:$(stty size)"; echo "term:$TERM"\n');
  await waitFor(/size:45 132/);
  await waitFor(/term:xterm\r?\n/);
  pty.write('exit 7\n');
  assert.equal((await exited).code, 7);
});

test('cancellation signals the remote process group and really ends it', async () => {
  const marker = `sleep 3141.${process.pid}`;
  const controller = new AbortController();
  const running = host.exec(`${marker}; echo should-not-print`, { signal: controller.signal });
  await waitUntil(() => pgrepCount(marker) > 0, 'remote sleep started');
  controller.abort();
  await assert.rejects(running, CommandCancelledError);
  await waitUntil(() => pgrepCount(marker) === 0, 'remote sleep and its shell ended');

  const ptyMarker = `sleep 2718.${process.pid}`;
  const ptyController = new AbortController();
  const ptyRun = host.exec(`${ptyMarker}; echo should-not-print`, { signal: ptyController.signal, pty: { rows: 24, cols: 80 } });
  await waitUntil(() => pgrepCount(ptyMarker) > 0, 'remote pty sleep started');
  ptyController.abort();
  await assert.rejects(ptyRun, CommandCancelledError);
  await waitUntil(() => pgrepCount(ptyMarker) === 0, 'remote pty sleep ended');
  await waitUntil(() => host.openChannels === 0, 'channels closed');
  // An already-aborted signal runs nothing.
  await assert.rejects(host.exec('true', { signal: AbortSignal.abort() }), CommandCancelledError);
});

test('100 execs leave no open channel and no extra server-side process', async () => {
  await host.exec('true');
  await waitUntil(() => host.openChannels === 0, 'idle');
  const before = sshd.descendantCount();
  await Promise.all(Array.from({ length: 100 }, (_, i) => host.exec(`echo ${i}`)));
  assert.equal(host.openChannels, 0);
  await waitUntil(() => sshd.descendantCount() === before, `server processes back to ${before}`);
});

test('SFTP writes atomically with a mode and reads binary data back unchanged', async () => {
  const data = Buffer.alloc(300_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 256;
  const path = `${sshd.dir}/sftp-roundtrip.bin`;
  await host.writeFile(path, data, { mode: 0o600 });
  assert.deepEqual(await host.readFile(path), data);
  assert.equal((await host.exec(`stat -c %a ${path}`)).stdout.trim(), '600');
  await host.writeFile(path, 'replaced');
  assert.equal((await host.readFile(path)).toString(), 'replaced');
  assert.equal((await host.exec(`ls ${sshd.dir} | grep -c osa-dev- || true`)).stdout.trim(), '0');
  await assert.rejects(host.readFile(`${sshd.dir}/missing`), /SFTP read .*missing/);
  assert.equal(host.openChannels, 0);
});

test('forwardOut tunnels a local port to a TCP echo server through the same connection', async () => {
  const echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const echoPort = (echo.address() as AddressInfo).port;
  const server = await host.forwardOut('127.0.0.1', echoPort);
  const localPort = (server.address() as AddressInfo).port;
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = tcpConnect(localPort, '127.0.0.1', () => socket.write('ping through ssh'));
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.end();
    });
    socket.once('error', reject);
  });
  assert.equal(reply, 'ping through ssh');
  await waitUntil(() => host.openChannels === 0, 'forward channel closed');
  echo.close();
});

function pgrepCount(pattern: string): number {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
