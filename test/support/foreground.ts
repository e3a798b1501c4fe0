import assert from 'node:assert/strict';
import type { DevLoopEngine } from '../../src/core/devloop/engine';
import type { DevelopPlan, DevelopRequest } from '../../src/core/devloop/plan';
import type { PtySession, SshHost } from '../../src/core/ssh';
import { shellJoin } from '../../src/core/shell/quote';

export interface Foreground {
  readonly session: PtySession;
  /** What the process printed so far. */
  readonly output: () => string;
}

/** The dev process's foreground command in a PTY, as the dev terminal runs it. */
export async function openForeground(ssh: SshHost, argv: readonly string[]): Promise<Foreground> {
  const session = await ssh.openPty(shellJoin(argv), { rows: 24, cols: 160 });
  let output = '';
  const decoder = new TextDecoder();
  session.onData((chunk) => (output += decoder.decode(chunk, { stream: true })));
  return { session, output: () => output };
}

/** Develop with the plan's steps (each applied or skipped), then its foreground process in a PTY. */
export async function developAndRun(ssh: SshHost, engine: DevLoopEngine, plan: DevelopPlan, request: DevelopRequest): Promise<Foreground> {
  const doc = await engine.develop(plan.steps, { ...request });
  assert.ok(doc.steps.every((s) => s.status === 'applied' || s.status === 'skipped'), JSON.stringify(doc.steps.map((s) => [s.id, s.status, s.error])));
  return openForeground(ssh, plan.foreground);
}
