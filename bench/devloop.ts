/**
 * bench/devloop: the whole Develop loop on the lab beside the manual workflow (bench/manual-devloop.sh,
 * one `ssh HOST …` per step), both in the same run, with the same eight steps: isolate, stop, code,
 * dependencies, db_sync, config (opened the way the editor opens it: stat + read), run (the dev
 * process started in a PTY, as the dev terminal does) and the debugger tunnel.
 *
 * Orchestration overhead = total minus the time of git, pip and db_sync themselves, computed the
 * same way on both sides: each command that runs one of them is timed ON THE HOST around its
 * lxc-attach (the manual script does it in its ssh command line; here a wrapper does it around
 * OSA Dev's command line), so neither side's SSH set-up counts as tool time. One warm-up round,
 * then BENCH_RUNS rounds (default 3) alternating which side goes first; medians are printed, with
 * the round trips OSA Dev made per step.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { devPidFile } from '../src/core/devloop/foreground';
import { JournalStore } from '../src/core/devloop/journalStore';
import { stepsForRestore, type DevelopPlan } from '../src/core/devloop/plan';
import { readContainerFile } from '../src/core/devloop/steps/containerFile';
import { statContainerPath } from '../src/core/devloop/steps/containerPaths';
import type { Step } from '../src/core/devloop/types';
import type { ExecOptions, ExecResult, ShellRunner } from '../src/core/process/types';
import { shellJoin } from '../src/core/shell/quote';
import type { SshHost } from '../src/core/ssh';
import { heatRepoInNamespace, heatRequest, labEngine, labRuntime as runtime, planHeat } from '../test/support/heatOnLab';
import { connectLab, readLab, writeLabClientFiles } from '../test/support/lab';
import { waitForHaproxySettled } from '../test/support/productionSnapshot';
import { percentile, printTable } from './stats';

const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));
const TOOL_MARK = '@@osa-dev-bench-tool-ms';
/** The command lines that run git, pip (venv creation included) or db_sync: the manual script's tool steps. */
const TOOL_COMMANDS = [/ fetch -q --tags --force origin /, / -m venv "\$dev"/, /\/bin\/pip'? install /, / setup\.py'? develop /, /setuptools\.setup\(\)'? develop /, /heat-manage/];
const CONFIG = '/etc/heat/heat.conf';
const DEBUG_PORT = 5678;
// Until the pid file names a live heat-api other than $2 (the dev process the PTY started; it
// replaces the one before). Restore must not race a dev process still starting.
const DEV_PROCESS_UP = `for i in $(seq 100); do
  p=$(cat "$1" 2>/dev/null) && [ "$p" != "$2" ] && grep -q heat-api "/proc/$p/cmdline" 2>/dev/null && { echo "$p"; exit 0; }
  sleep 0.1
done
exit 1`;

/** Per phase (a step, the plan, config…): round trips, and their wall time minus the tools' own. */
type Trips = Map<string, { trips: number; ms: number }>;

/**
 * Runs OSA Dev's commands, counting round trips per phase; tool commands are wrapped so the host
 * times them (the mark is taken off stderr again before the step sees it).
 */
class BenchRunner implements ShellRunner {
  phase = '';
  toolMs = 0;
  trips: Trips = new Map();
  constructor(private readonly inner: ShellRunner) {}

  async exec(line: string, options?: ExecOptions): Promise<ExecResult> {
    const phase = this.phase;
    const started = Date.now();
    let tool = 0;
    let result: ExecResult;
    if (TOOL_COMMANDS.some((re) => re.test(line))) {
      const timed = `t0=$(date +%s%N); { ${line}\n}; rc=$?; printf '\\n${TOOL_MARK} %s\\n' $(( ($(date +%s%N) - t0) / 1000000 )) >&2; exit $rc`;
      const raw = await this.inner.exec(timed, options);
      const mark = new RegExp(`\\n${TOOL_MARK} (\\d+)\\n$`).exec(raw.stderr);
      tool = mark ? Number(mark[1]) : 0;
      result = mark ? { ...raw, stderr: raw.stderr.slice(0, mark.index) } : raw;
    } else {
      result = await this.inner.exec(line, options);
    }
    this.toolMs += tool;
    const seen = this.trips.get(phase) ?? { trips: 0, ms: 0 };
    this.trips.set(phase, { trips: seen.trips + 1, ms: seen.ms + Date.now() - started - tool });
    return result;
  }

  /** The steps, each setting the phase before it runs anything (check, capture, apply). */
  label(steps: readonly Step[]): Step[] {
    const enter = <T>(id: string, body: () => Promise<T>): Promise<T> => {
      this.phase = id;
      return body();
    };
    return steps.map((step) => ({
      ...step,
      check: (ctx, original) => enter(step.id, () => step.check(ctx, original)),
      capture: (ctx) => enter(step.id, () => step.capture(ctx)),
      apply: (ctx, original) => enter(step.id, () => step.apply(ctx, original)),
    }));
  }

  take(): { trips: Trips; toolMs: number } {
    const taken = { trips: this.trips, toolMs: this.toolMs };
    this.trips = new Map();
    this.toolMs = 0;
    return taken;
  }
}

interface Timed {
  readonly total: number;
  readonly tools: number;
  readonly trips: Trips;
}

async function main(): Promise<void> {
  const lab = readLab();
  const ssh: SshHost = connectLab(lab);
  const runner = new BenchRunner(ssh);
  const request = heatRequest(lab);
  const target = lab.containers.find((c) => c.name === request.container)!;
  const other = lab.containers.find((c) => c.service === 'heat' && c.name !== target.name)!;
  const engine = labEngine(runner, target.name, 'bench devloop');
  const files = writeLabClientFiles(lab);
  const closeAfter: Array<() => void> = [];
  let devPid = '';

  /** Develop (plan + steps), then config, run and the debugger tunnel, as the extension does them. */
  async function timedDevelop(): Promise<Timed> {
    runner.take();
    const started = Date.now();
    runner.phase = 'plan, lock + journal read';
    const plan: DevelopPlan = await planHeat(runner, request);
    await engine.develop(runner.label(plan.steps), { ...request });
    runner.phase = 'config (stat + read)';
    await statContainerPath(runner, runtime, target.name, CONFIG);
    await readContainerFile(runner, runtime, target.name, CONFIG);
    runner.phase = 'run (PTY)';
    const pty = await ssh.openPty(shellJoin(plan.foreground), { rows: 24, cols: 120 });
    closeAfter.push(() => pty.close());
    const tunnel = await ssh.forwardOut(target.ip, DEBUG_PORT);
    tunnel.close();
    const total = Date.now() - started;
    const { trips, toolMs } = runner.take();
    const up = await ssh.exec(shellJoin(runtime.execArgv(target.name, ['sh', '-c', DEV_PROCESS_UP, 'sh', devPidFile('heat-api'), devPid])));
    if (up.code !== 0) throw new Error('The dev heat-api did not start from its PTY.');
    devPid = up.stdout.trim();
    return { total, tools: toolMs, trips };
  }

  async function restore(): Promise<{ ms: number; trips: Trips }> {
    runner.take();
    runner.phase = 'restore';
    const started = Date.now();
    await engine.restore(stepsForRestore((await new JournalStore(ssh).read(target.name))!));
    const ms = Date.now() - started;
    closeAfter.splice(0).forEach((close) => close());
    return { ms, trips: runner.take().trips };
  }

  async function ours(): Promise<{ first: Timed; again: Timed; restore: number; restoreTrips: Trips }> {
    await ssh.exec(shellJoin(runtime.execArgv(target.name, ['rm', '-rf', '/opt/osa-dev']))); // cold: no dev venv, no checkout
    await waitForHaproxySettled();
    const first = await timedDevelop();
    const again = await timedDevelop();
    const undone = await restore();
    await waitForHaproxySettled();
    return { first, again, restore: undone.ms, restoreTrips: undone.trips };
  }

  function manual(): { total: number; tools: number; restore: number; noDebug: number } {
    const args = [join(__dirname, 'manual-devloop.sh'), files.sshConfig, files.knownHosts, files.alias, target.name, other.name, heatRepoInNamespace(lab), lab.venv];
    const out = execFileSync('bash', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const figures = new Map(out.trim().split('\n').map((line) => line.split(' ') as [string, string]).map(([k, v]) => [k, Number(v)]));
    const steps = [...figures.entries()].filter(([k]) => k !== 'restore' && !k.endsWith('.tool'));
    return {
      total: steps.reduce((sum, [, v]) => sum + v, 0),
      tools: [...figures.entries()].filter(([k]) => k.endsWith('.tool')).reduce((sum, [, v]) => sum + v, 0),
      restore: figures.get('restore') ?? 0,
      noDebug: figures.get('debug') ?? 0,
    };
  }

  const rows: { oursFirst: Timed; oursAgain: Timed; oursRestore: number; restoreTrips: Trips; manual: ReturnType<typeof manual> }[] = [];
  try {
    for (let round = 0; round <= RUNS; round++) {
      // Round 0 warms the caches of both sides (page cache, pip's cache, git objects) and is not counted.
      const manualFirst = round % 2 === 1;
      const m1 = manualFirst ? manual() : undefined;
      if (manualFirst) await waitForHaproxySettled();
      const o = await ours();
      const m = m1 ?? manual();
      await waitForHaproxySettled();
      if (round > 0) rows.push({ oursFirst: o.first, oursAgain: o.again, oursRestore: o.restore, restoreTrips: o.restoreTrips, manual: m });
    }
  } finally {
    closeAfter.splice(0).forEach((close) => close());
    const journal = await new JournalStore(ssh).read(target.name).catch(() => undefined);
    if (journal) await labEngine(ssh, target.name, 'bench devloop').restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
    ssh.dispose();
  }

  const median = (values: number[]): number => percentile(values, 50);
  const overhead = (t: { total: number; tools: number }): number => t.total - t.tools;
  const first = { total: median(rows.map((r) => r.oursFirst.total)), tools: median(rows.map((r) => r.oursFirst.tools)), overhead: median(rows.map((r) => overhead(r.oursFirst))) };
  const again = { total: median(rows.map((r) => r.oursAgain.total)), tools: median(rows.map((r) => r.oursAgain.tools)), overhead: median(rows.map((r) => overhead(r.oursAgain))) };
  const man = { total: median(rows.map((r) => r.manual.total)), tools: median(rows.map((r) => r.manual.tools)), overhead: median(rows.map((r) => overhead(r.manual))) };
  const manNoDebug = median(rows.map((r) => overhead(r.manual) - r.manual.noDebug));
  printTable(`devloop on the lab (ms, median of ${RUNS} runs after a warm-up)`, ['', 'total', 'git+pip+db_sync', 'orchestration overhead', 'restore'], [
    ['OSA Dev, first Develop (cold dev venv)', first.total, first.tools, first.overhead, median(rows.map((r) => r.oursRestore))],
    ['OSA Dev, Develop again (nothing changed)', again.total, again.tools, again.overhead, '-'],
    ['manual: one ssh per step (8 steps)', man.total, man.tools, man.overhead, median(rows.map((r) => r.manual.restore))],
  ]);
  console.log(`overhead per run (ms): OSA Dev ${rows.map((r) => overhead(r.oursFirst)).join(', ')}; manual ${rows.map((r) => overhead(r.manual)).join(', ')}`);

  const last = rows.at(-1)!;
  const cell = (trips: Trips, phase: string): string => {
    const seen = trips.get(phase);
    return seen ? `${seen.trips} (${seen.ms} ms)` : '0';
  };
  const phases = [...new Set([...last.oursFirst.trips.keys(), ...last.oursAgain.trips.keys()])];
  printTable('OSA Dev round trips per step, last run (their time without the tools themselves)', ['step', 'first Develop', 'again', 'restore'], [
    ...phases.map((phase) => [phase, cell(last.oursFirst.trips, phase), cell(last.oursAgain.trips, phase), '']),
    ['restore (whole)', '', '', cell(last.restoreTrips, 'restore')],
    ['total', total(last.oursFirst.trips), total(last.oursAgain.trips), total(last.restoreTrips)],
  ]);

  const ratio = man.overhead / Math.max(1, first.overhead);
  console.log(
    `\nsummary: overhead ${first.overhead} ms (${first.overhead <= 1000 ? 'within' : 'OVER'} 1 s), ${ratio.toFixed(1)}x below the manual script's ${man.overhead} ms (goal 3x); ` +
      `second run ${again.total} ms (${again.total <= 3000 ? 'within' : 'OVER'} 3 s)`,
  );
  console.log(`summary: without step 8 (the debugger tunnel) on both sides: manual overhead ${manNoDebug} ms, ${(manNoDebug / Math.max(1, first.overhead)).toFixed(1)}x`);
}

function total(trips: Trips): string {
  const all = [...trips.values()];
  return `${all.reduce((n, t) => n + t.trips, 0)} (${all.reduce((n, t) => n + t.ms, 0)} ms)`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
