/**
 * bench/inner-loop: one changed file, save → synced into the lab's utility container
 * (SourceSync.syncChanged over the open SSH connection: one exec, delete list + tar on stdin),
 * beside two baselines of the same file in the same run: `cat >` over the same SSH connection,
 * and OpenSSH `ssh host 'lxc-attach … cat > file'` (a new connection each time, as by hand).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LxcRuntime } from '../src/core/runtime/lxc/lxcRuntime';
import { shellJoin } from '../src/core/shell/quote';
import { SourceSync } from '../src/core/sync';
import { connectLab, readLab, writeLabClientFiles } from '../test/support/lab';
import { percentile, printTable, timeRuns } from './stats';

const CONTAINER = 'aio1-utility-container-d83fab91';
const DEST = '/opt/osa-dev/src/bench-inner-loop';
const RUNS = 20;
const FILE = 'heat/engine/service.py';
const PADDING_FILES = 2000;

function run(cmd: string, args: readonly string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, (error) => (error ? reject(error) : resolve()));
    child.stdin?.end(input ?? '');
  });
}

async function main(): Promise<void> {
  const lab = readLab();
  const ssh = connectLab(lab);
  const runtime = new LxcRuntime();
  const work = mkdtempSync(join(tmpdir(), 'bench-inner-'));
  try {
    await run('git', ['clone', '-q', lab.git.heatRepoUrl, work]);
    // The lab's heat is a small sample; upstream heat has ~2,000 files (a ~100 KB manifest): pad to that.
    const padDir = join(work, 'heat/tests/generated');
    mkdirSync(padDir, { recursive: true });
    for (let i = 0; i < PADDING_FILES; i++) writeFileSync(join(padDir, `test_generated_module_${String(i).padStart(4, '0')}.py`), `N = ${i}\n`);
    const sync = new SourceSync({ host: ssh, runtime, container: CONTAINER, localDir: work, dest: DEST });
    const full = await sync.fullSync();
    let n = 0;
    let fileSize = 0;
    const edit = (): string => {
      const content = `# edit ${++n}\n${'x = 1\n'.repeat(200)}`;
      writeFileSync(join(work, FILE), content);
      fileSize = Buffer.byteLength(content);
      return content;
    };
    await sync.syncChanged([FILE]); // warm
    const bytes: number[] = [];
    const ours = await timeRuns(RUNS, async () => {
      edit();
      bytes.push((await sync.syncChanged([FILE])).bytes);
    });
    const catLine = shellJoin(runtime.execArgv(CONTAINER, ['sh', '-c', 'cat > "$1"', 'sh', `${DEST}/${FILE}`]));
    const sameConnection = await timeRuns(RUNS, async () => {
      const result = await ssh.exec(catLine, { stdin: edit() });
      if (result.code !== 0) throw new Error(result.stderr);
    });
    const files = writeLabClientFiles(lab);
    const opensshArgs = ['-F', files.sshConfig, '-o', `UserKnownHostsFile=${files.knownHosts}`, '-o', 'BatchMode=yes', files.alias, catLine];
    const openssh = await timeRuns(RUNS, async () => run('ssh', opensshArgs, edit()));
    const rows: Array<[string, number[]]> = [
      ['SourceSync.syncChanged (one exec: tar, manifest delta)', ours],
      ['baseline: cat > over the same SSH connection', sameConnection],
      ['baseline: new `ssh host lxc-attach … cat >` each save', openssh],
    ];
    printTable(
      `inner loop: one saved file (${FILE}) → ${CONTAINER}, ${RUNS} runs; first full sync: ${full.sent} files (${PADDING_FILES} of them padding, as many as upstream heat), ${(full.bytes / 1e6).toFixed(1)} MB`,
      ['what', 'p50 ms', 'p95 ms', 'min ms'],
      rows.map(([name, s]) => [name, percentile(s, 50), percentile(s, 95), Math.min(...s)]),
    );
    console.log(`summary: inner-loop sync p50 ${percentile(ours, 50).toFixed(0)} ms (target ≤ 150), p95 ${percentile(ours, 95).toFixed(0)} ms, ${percentile(bytes, 50)} bytes sent per save (p50; the file is ${fileSize} bytes); cat > same connection p50 ${percentile(sameConnection, 50).toFixed(0)} ms; new ssh p50 ${percentile(openssh, 50).toFixed(0)} ms`);
    await ssh.exec(shellJoin(runtime.execArgv(CONTAINER, ['rm', '-rf', DEST])));
  } finally {
    ssh.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
