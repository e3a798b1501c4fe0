/**
 * Bad input through the entry points that reach the host, against the real lab (run under
 * test/lab/exclusive.sh): Develop requests planned on the lab, container file and folder paths,
 * journal and lock names, lxc-info names, git URLs and refs cloned from the lab's git server, and
 * the osa-dev CLI. Every command the product sends goes through a ReadOnlyGuard (anything not
 * read-only is recorded and NOT run); canary values `$(touch /tmp/osa-pwned-…)` must create no file
 * on the host or in any container; the production snapshot is identical before and after.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as esbuild from 'esbuild';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import type { DevelopRequest } from '../../../src/core/devloop/plan';
import { readContainerFile } from '../../../src/core/devloop/steps/containerFile';
import { listContainerDir, statContainerPath } from '../../../src/core/devloop/steps/containerPaths';
import { loadHostView } from '../../../src/core/model/loadHostView';
import { silentLogger } from '../../../src/core/log';
import { shellJoin } from '../../../src/core/shell/quote';
import { checkoutGerritChange, cloneOrFetch } from '../../../src/core/sources';
import { GerritClient } from '../../../src/core/gerrit';
import { standardFixtures } from '../../support/gerrit/builders';
import { GerritStandIn } from '../../support/gerrit/standIn';
import { codeStep } from '../../../src/core/devloop/steps/codeStep';
import { pipConf } from '../../../src/core/devloop/steps/pipConf';
import type { SshHost } from '../../../src/core/ssh';
import { HEAT_CONTAINER, heatRequest, labRuntime, planHeat } from '../../support/heatOnLab';
import { connectLab, labHostExec, readLab, writeLabClientFiles, type LabDescription } from '../../support/lab';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';
import { unclearError } from '../support/outcome';
import { notReadOnly, ReadOnlyGuard } from '../support/readOnlyGuard';
import { shellWords } from '../support/shellWords';
import { badValue, show, VALUE_CLASSES, type ValueClass } from '../support/values';

const REPO = join(__dirname, '..', '..', '..');
const RUN = `${process.pid}`;
const CANARY_PREFIX = `/tmp/osa-pwned-${RUN}-`;
const CONCURRENCY = 8;

let lab: LabDescription;
let ssh: SshHost;
let guard: ReadOnlyGuard;
let scratch: string;
let before_: string;

interface Outcome {
  readonly label: string;
  readonly refused: boolean;
  readonly unclear?: string;
}
const outcomes: Outcome[] = [];
let counter = 0;

function values(base: string, seeds: number): { valueClass: ValueClass; value: string }[] {
  return VALUE_CLASSES.flatMap((valueClass) =>
    Array.from({ length: seeds }, (_, i) => badValue(valueClass, i + 1, base, `${CANARY_PREFIX}${counter++}`)),
  ).filter((bad) => bad.value !== base && bad.value.length <= 70_000);
}

/** Runs the cases CONCURRENCY at a time over the one SSH connection (as the extension would). */
async function runCases(cases: readonly { label: string; run: () => Promise<unknown> }[], concurrency = CONCURRENCY): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const c = cases[next++]!;
      try {
        await c.run();
        outcomes.push({ label: c.label, refused: false });
      } catch (error) {
        const unclear = unclearError(error);
        outcomes.push({ label: c.label, refused: true, ...(unclear ? { unclear } : {}) });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

before(async () => {
  lab = readLab();
  scratch = mkdtempSync(join(tmpdir(), 'osa-bad-input-lab-'));
  await waitForHaproxySettled();
  before_ = productionSnapshot(lab);
  ssh = connectLab(lab);
  guard = new ReadOnlyGuard(ssh, scratch);
});

after(() => {
  ssh?.dispose();
  rmSync(scratch, { recursive: true, force: true });
  labHostExec(['sh', '-c', `rm -f ${CANARY_PREFIX}*`]);
});

test('Develop requests with bad fields are refused while planning, reading the lab only', async () => {
  const base = heatRequest(lab);
  const git = base.source.kind === 'git' ? base.source : { url: '', ref: '' };
  const fields: { name: string; base: string; converted?: boolean; request: (v: string) => DevelopRequest }[] = [
    { name: 'container', base: HEAT_CONTAINER, request: (v) => ({ ...base, container: v }) },
    { name: 'unit', base: 'heat-api', request: (v) => ({ ...base, unit: v }) },
    { name: 'service', base: 'heat', request: (v) => ({ ...base, service: v }) },
    { name: 'project', base: 'heat', request: (v) => ({ ...base, project: v }) },
    { name: 'git URL', base: git.url, request: (v) => ({ ...base, source: { kind: 'git', url: v, ref: git.ref } }) },
    { name: 'git ref', base: git.ref, request: (v) => ({ ...base, source: { kind: 'git', url: git.url, ref: v } }) },
    { name: 'code path', base: '/opt/osa-dev/src/heat', request: (v) => ({ ...base, source: { kind: 'container-path', path: v } }) },
    { name: 'package index URL', base: 'https://pypi.org/simple', request: (v) => ({ ...base, indexUrl: v }) },
    { name: 'management IP (debug)', base: base.managementIp ?? '', request: (v) => ({ ...base, managementIp: v, debug: { port: 5678 } }) },
    { name: 'debug port', base: '5678', converted: true, request: (v) => ({ ...base, debug: { port: Number(v) } }) },
  ];
  const cases = fields.flatMap((field) =>
    values(field.base, 3).map((bad) => ({
      label: `develop ${field.name} ← ${bad.valueClass} ${show(bad.value)}`,
      run: async () => {
        const plan = await planHeat(guard, field.request(bad.value));
        // A plan is accepted only when nothing in it is hostile: a valid-looking value (a unicode
        // branch name, a port that Number() reads) is fine; a shell or control character in it is not.
        if (!field.converted && (bad.valueClass === 'shell' || bad.valueClass === 'control')) throw new TypeError(`planned with a hostile ${field.name}: ${plan.steps.map((s) => s.id).join(', ')}`);
      },
    })),
  );
  await runCases(cases);
  assert.ok(cases.length >= 150, `${cases.length} cases`);
});

test('container file and folder paths, journal and lock names, lxc-info names: refused or read only', async () => {
  const store = new JournalStore(guard);
  const cases = [
    ...values('/etc/heat/heat.conf', 3).map((bad) => ({ label: `read file ${show(bad.value)}`, run: () => readContainerFile(guard, labRuntime, HEAT_CONTAINER, bad.value) })),
    ...values('/etc/heat', 2).map((bad) => ({ label: `list folder ${show(bad.value)}`, run: () => listContainerDir(guard, labRuntime, HEAT_CONTAINER, bad.value) })),
    ...values('/etc/heat', 2).map((bad) => ({ label: `stat ${show(bad.value)}`, run: () => statContainerPath(guard, labRuntime, HEAT_CONTAINER, bad.value) })),
    ...values(HEAT_CONTAINER, 2).map((bad) => ({ label: `journal of ${show(bad.value)}`, run: () => store.read(bad.value) })),
    ...values(HEAT_CONTAINER, 1).map((bad) => ({ label: `lock of ${show(bad.value)}`, run: () => store.readLock(bad.value) })),
    ...values(HEAT_CONTAINER, 2).map((bad) => ({
      label: `lxc-info ${show(bad.value)}`,
      run: async () => {
        const spec = labRuntime.stateOf(bad.value);
        return spec.parse(await guard.exec(shellJoin(spec.argv)));
      },
    })),
    { label: 'the host view (one snapshot round trip)', run: () => loadHostView(guard, labRuntime, silentLogger) },
  ];
  await runCases(cases);
});

test('git URLs and refs: a local clone from the lab git server refuses or fails cleanly', async () => {
  const cases = [
    ...values(lab.git.heatRepoUrl, 2).map((bad) => ({ label: `clone URL ${show(bad.value)}`, dir: bad.value })),
    ...values('master', 3).map((bad) => ({ label: `clone ref ${show(bad.value)}`, ref: bad.value })),
  ].map((c, i) => ({
    label: c.label,
    run: () => cloneOrFetch({ url: 'dir' in c ? c.dir! : lab.git.heatRepoUrl, ref: 'ref' in c ? c.ref! : 'no-such-branch', dir: join(scratch, `clone-${i}`) }),
  }));
  await runCases(cases);
  const localCanaries = readdirSync('/tmp').filter((f) => f.startsWith(`osa-pwned-${RUN}-`));
  assert.deepEqual(localCanaries, [], 'a local git command ran part of a value');
});

test('Gerrit changes, review URLs and patchsets: checked out from the Gerrit stand-in into a local clone, or refused', async () => {
  const gerrit = await GerritStandIn.start();
  try {
    for (const change of standardFixtures()) gerrit.addChange(change);
    const client = new GerritClient({ baseUrl: gerrit.url });
    const dir = join(scratch, 'gerrit-heat');
    await cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: 'master', dir });
    const cases = [...values('12345,3', 3), ...values(`${gerrit.url}/c/openstack/heat/+/12345/3`, 2)].map((bad) => ({
      label: `Gerrit change ${show(bad.value)}`,
      run: () => checkoutGerritChange(client, { dir, change: bad.value, onDirty: 'refuse' }),
    }));
    // One clone: one checkout at a time, as the extension does it.
    await runCases(cases, 1);
  } finally {
    await gerrit.stop();
  }
  assert.deepEqual(readdirSync('/tmp').filter((f) => f.startsWith(`osa-pwned-${RUN}-`)), [], 'a local command ran part of a value');
});

test('osa-dev CLI with bad arguments: refused before any change, every logged command read-only', async () => {
  const cli = await buildCli();
  const files = writeLabClientFiles(lab, mkdtempSync(join(scratch, 'client-')));
  const common = ['--ssh-config', files.sshConfig, '--known-hosts', files.knownHosts, '--verbose'];
  const cases: string[][] = [
    ...values(files.alias, 1).map((v) => ['containers', v.value, ...common]),
    ...values(HEAT_CONTAINER, 1).slice(0, 4).map((v) => ['develop', files.alias, v.value, '--path', '/opt/osa-dev/src/heat', ...common]),
    ...values('heat-api', 1).slice(0, 4).map((v) => ['develop', files.alias, HEAT_CONTAINER, '--unit', v.value, '--path', '/opt/osa-dev/src/heat', ...common]),
    // Only values refused in-process: an accepted ref or index URL would really develop (that is the fault suites' job).
    ...values('master', 1).filter((v) => refused(() => codeStep('heat', { kind: 'git', url: lab.git.heatRepoUrl, ref: v.value }))).slice(0, 4).map((v) => ['develop', files.alias, HEAT_CONTAINER, '--git', lab.git.heatRepoUrl, '--ref', v.value, ...common]),
    ...values('/opt/osa-dev/src/heat', 1).slice(0, 4).map((v) => ['develop', files.alias, HEAT_CONTAINER, '--path', v.value, ...common]),
    ...values('https://pypi.org/simple', 1).filter((v) => refused(() => pipConf({ prodVenv: lab.venv, indexUrl: v.value }))).slice(0, 4).map((v) => ['develop', files.alias, HEAT_CONTAINER, '--path', '/opt/osa-dev/src/heat', '--index-url', v.value, ...common]),
    ...values(HEAT_CONTAINER, 1).slice(0, 3).map((v) => ['restore', files.alias, v.value, ...common]),
  ];
  const runs = await Promise.all(cases.map((argv) => runCli(cli, argv)));
  runs.forEach((run, i) => {
    const label = `osa-dev ${cases[i]!.slice(0, 3).map(show).join(' ')}`;
    const clear = run.code === 1 && /^osa-dev: /m.test(run.stderr) && !/TypeError|RangeError|    at /.test(run.stderr);
    outcomes.push({ label, refused: run.code !== 0, ...(clear || run.code === 0 ? {} : { unclear: `exit ${run.code}: ${run.stderr.slice(-300)}` }) });
    // --verbose logs every command line the CLI sent (the product's LoggingRunner): each read-only.
    // A logged command runs until the next log entry (a script may span lines): all of it is checked.
    const sent = [...run.stderr.matchAll(/^\[info\] \[[^\]]*\] \$ ([\s\S]*?)(?=\n\[(?:info|debug|warn|error)\] |\n?$(?![\s\S]))/gm)].map((m) => m[1]!);
    const words = shellWords(sent.filter((l) => !l.startsWith('out=$(')), scratch);
    words.forEach((argv) => {
      const why = notReadOnly(argv);
      if (why) guard.commands.push({ label, line: argv.join(' '), argv, blocked: `the CLI ran it: ${why}` });
    });
  });
});

test('bad input on the lab: nothing changed, no canary, every refusal clear', async () => {
  const canaries = [
    labHostExec(['sh', '-c', `ls ${CANARY_PREFIX}* 2>/dev/null || true`]).trim(),
    ...lab.containers.map((c) => labHostExec(['lxc-attach', '-n', c.name, '--', 'sh', '-c', `ls ${CANARY_PREFIX}* 2>/dev/null || true`]).trim()),
  ].filter(Boolean);
  await waitForHaproxySettled();
  const after_ = productionSnapshot(lab);
  const blocked = guard.violations;
  const changedLabels = new Set(blocked.map((c) => c.label));
  console.log(
    `bad input: ${outcomes.length} tried, ${changedLabels.size + canaries.length + (after_ === before_ ? 0 : 1)} changed the host ` +
      `(${outcomes.filter((o) => o.refused).length} refused, ${guard.commands.length} commands sent, all read-only: ${blocked.length === 0}, ` +
      `canaries: ${canaries.length}, snapshot identical: ${after_ === before_})`,
  );
  assert.deepEqual(blocked.map((c) => `${c.label}: ${c.blocked} — ${c.line.slice(0, 200)}`), []);
  assert.deepEqual(canaries, []);
  assert.deepEqual(outcomes.filter((o) => o.unclear).map((o) => `${o.label}: ${o.unclear}`), []);
  assert.equal(after_, before_);
  assert.ok(outcomes.length >= 250, `${outcomes.length} cases`);
});

function refused(build: () => unknown): boolean {
  try {
    build();
    return false;
  } catch {
    return true;
  }
}

/** The CLI bundle in a scratch folder, with the shipped catalog beside it as the CLI looks for it. */
async function buildCli(): Promise<string> {
  const dir = join(scratch, 'cli');
  mkdirSync(dir);
  symlinkSync(join(REPO, 'catalog'), join(dir, 'catalog'));
  const outfile = join(dir, 'cli.js');
  await esbuild.build({ entryPoints: [join(REPO, 'src/core/cli/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, external: ['cpu-features', '*.node'], logLevel: 'warning' });
  return outfile;
}

function runCli(cli: string, argv: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SSH_AUTH_SOCK: '' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
