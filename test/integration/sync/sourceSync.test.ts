/**
 * Sync into the lab's utility container: full and incremental, compared byte for byte (sha256
 * on both sides) with modes and symlink targets.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import { shellJoin } from '../../../src/core/shell/quote';
import type { SshHost } from '../../../src/core/ssh';
import { listWorkingTree, parseManifest, SourceSync } from '../../../src/core/sync';
import { connectLab } from '../../support/lab';
import { containerSnapshot, localSnapshot } from '../../support/sync/snapshot';

const CONTAINER = 'aio1-utility-container-d83fab91';
const DEST = '/opt/osa-dev/src/synctest';
const runtime = new LxcRuntime();
let ssh: SshHost;
let work: string;

function inContainer(...argv: string[]): Promise<string> {
  return ssh.exec(shellJoin(runtime.execArgv(CONTAINER, argv))).then((r) => {
    if (r.code !== 0) throw new Error(r.stderr);
    return r.stdout;
  });
}

function write(path: string, data: string | Buffer, mode?: number): void {
  mkdirSync(join(work, path, '..'), { recursive: true });
  writeFileSync(join(work, path), data);
  if (mode !== undefined) chmodSync(join(work, path), mode);
}

async function assertSame(message: string): Promise<void> {
  const local = localSnapshot(work, await listWorkingTree(work));
  assert.deepEqual(await containerSnapshot(ssh, CONTAINER, DEST), local, message);
}

before(async () => {
  ssh = connectLab();
  await inContainer('rm', '-rf', DEST);
  work = mkdtempSync(join(tmpdir(), 'sync-src-'));
  execFileSync('git', ['init', '-q', work]);
  write('.gitignore', '*.pyc\n.tox/\n');
  write('setup.cfg', '[metadata]\nname = synctest\n');
  write('heat/__init__.py', '');
  write('heat/engine/service.py', 'VERSION = 1\n');
  write('bin/heat-manage', '#!/bin/sh\necho manage\n', 0o755);
  write('data/blob.bin', Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) % 256)));
  write(`doc/it's a "quoted" name with spaces.txt`, 'quotes\n');
  write('doc/ünïcødé/résumé.rst', 'unicode\n');
  write(`${'long-directory-name/'.repeat(8)}deep.py`, 'deep = True\n');
  symlinkSync('heat/engine/service.py', join(work, 'service-link'));
  execFileSync('git', ['-C', work, 'add', '-A']);
  write('untracked_new.py', 'untracked but not ignored\n');
  write('heat/engine/service.pyc', 'ignored');
  write('.tox/py3/lib.py', 'ignored');
});

after(async () => {
  try {
    await inContainer('rm', '-rf', DEST);
  } finally {
    ssh.dispose();
    rmSync(work, { recursive: true, force: true });
  }
});

test('full sync: tracked + untracked files, binary, quotes/spaces/unicode, long paths, symlink, modes; ignored files stay home', async () => {
  const sync = new SourceSync({ host: ssh, runtime, container: CONTAINER, localDir: work, dest: DEST });
  const result = await sync.fullSync();
  assert.equal(result.sent, 11);
  await assertSame('after the first full sync');
  const remote = await containerSnapshot(ssh, CONTAINER, DEST);
  assert.equal(remote['heat/engine/service.pyc'], undefined);
  assert.equal(remote['bin/heat-manage']?.split(' ')[1], '755');
  assert.equal(remote['service-link'], 'link heat/engine/service.py');
});

test('incremental: changed, added, deleted, renamed, mode change, file→directory; only those are sent', async () => {
  const sync = new SourceSync({ host: ssh, runtime, container: CONTAINER, localDir: work, dest: DEST });
  write('heat/engine/service.py', 'VERSION = 2\n');
  write('heat/engine/new_module.py', 'NEW = True\n');
  unlinkSync(join(work, 'untracked_new.py'));
  renameSync(join(work, `doc/it's a "quoted" name with spaces.txt`), join(work, 'doc/renamed "file".txt'));
  chmodSync(join(work, 'setup.cfg'), 0o755);
  const first = await sync.syncChanged([
    'heat/engine/service.py',
    join(work, 'heat/engine/new_module.py'),
    'untracked_new.py',
    `doc/it's a "quoted" name with spaces.txt`,
    'doc/renamed "file".txt',
    'setup.cfg',
    'heat/engine/service.pyc',
  ]);
  assert.equal(first.sent, 4);
  assert.deepEqual([...first.deleted].sort(), [`doc/it's a "quoted" name with spaces.txt`, 'untracked_new.py']);
  await assertSame('after the first incremental sync');

  // A file becomes a directory, and a whole directory goes away.
  unlinkSync(join(work, 'data/blob.bin'));
  write('data/blob.bin/part1', 'now a directory\n');
  rmSync(join(work, 'doc/ünïcødé'), { recursive: true });
  const second = await sync.syncChanged(['data/blob.bin', 'doc/ünïcødé']);
  assert.deepEqual([...second.deleted].sort(), ['data/blob.bin', 'doc/ünïcødé/résumé.rst']);
  await assertSame('after file→directory and a deleted directory');
  assert.equal((await inContainer('sh', '-c', 'test -e "$1" && echo yes || echo no', 'sh', `${DEST}/doc/ünïcødé`)).trim(), 'no');
});

test('a save of an existing file sends that file only (no manifest); the appended manifest lists exactly what is there', async () => {
  const sync = new SourceSync({ host: ssh, runtime, container: CONTAINER, localDir: work, dest: DEST });
  await sync.syncChanged(['setup.cfg']); // the first call of an instance reads the manifest
  const content = 'VERSION = 3\n'.repeat(100);
  write('heat/engine/new_module.py', content);
  const save = await sync.syncChanged(['heat/engine/new_module.py']);
  // One tar header, the data padded to 512, two end blocks: nothing that grows with the tree.
  assert.equal(save.bytes, 512 + Math.ceil(content.length / 512) * 512 + 1024);
  const raw = await inContainer('cat', `${DEST}/.osa-dev-manifest`);
  assert.match(raw, /^osa-dev-manifest 2\n/);
  const local = new Set(Object.keys(localSnapshot(work, await listWorkingTree(work))));
  assert.deepEqual(parseManifest(raw), local, 'the folded manifest is the synced tree');
  assert.equal((await inContainer('sh', '-c', 'test -e "$1" && echo yes || echo no', 'sh', `${DEST}/.osa-dev-manifest.part`)).trim(), 'no');
  await assertSame('after a save');
});

test('a full sync deletes what went away locally, keeps files it never synced, and survives a fresh instance', async () => {
  await inContainer('sh', '-c', 'echo theirs > "$1"', 'sh', `${DEST}/not-ours.txt`);
  unlinkSync(join(work, 'heat/engine/new_module.py'));
  const sync = new SourceSync({ host: ssh, runtime, container: CONTAINER, localDir: work, dest: DEST });
  const result = await sync.fullSync();
  assert.deepEqual(result.deleted, ['heat/engine/new_module.py']);
  const remote = await containerSnapshot(ssh, CONTAINER, DEST);
  assert.ok(remote['not-ours.txt']?.startsWith('file '));
  delete remote['not-ours.txt'];
  assert.deepEqual(remote, localSnapshot(work, await listWorkingTree(work)));
});

test('bad input (issue #4): a destination or a saved path with "..", outside the tree or with a NUL is refused; nothing changes in the container', async () => {
  const before = await containerSnapshot(ssh, CONTAINER, DEST);
  for (const dest of ['/opt/osa-dev/src/../../etc', 'opt/osa-dev/src/x', '/', '/opt/./x', '/opt/osa-dev/src/a\nb']) {
    assert.throws(() => new SourceSync({ host: ssh, runtime, container: CONTAINER, localDir: work, dest }), /sync destination must be an absolute directory/, dest);
  }
  const sync = new SourceSync({ host: ssh, runtime, container: CONTAINER, localDir: work, dest: DEST });
  for (const path of ['../outside.py', 'heat/../../etc/passwd', join(work, '..', 'elsewhere.py'), 'a\0b', '.osa-dev-manifest']) {
    await assert.rejects(sync.syncChanged(['setup.cfg', path]), /Refusing the path/, path);
  }
  assert.deepEqual(await containerSnapshot(ssh, CONTAINER, DEST), before, 'nothing changed in the container');
});

test('a delete never follows a symlinked parent out of the destination', async () => {
  // Someone replaced a synced directory by a symlink to /etc inside the container.
  await inContainer('sh', '-c', 'mkdir -p /tmp/victim && echo keep > /tmp/victim/service.py && rm -rf "$1/heat/engine" && ln -s /tmp/victim "$1/heat/engine"', 'sh', DEST);
  const sync = new SourceSync({ host: ssh, runtime, container: CONTAINER, localDir: work, dest: DEST });
  unlinkSync(join(work, 'heat/engine/service.py'));
  await sync.syncChanged(['heat/engine/service.py']);
  assert.equal((await inContainer('cat', '/tmp/victim/service.py')).trim(), 'keep');
  await inContainer('rm', '-rf', '/tmp/victim');
});
