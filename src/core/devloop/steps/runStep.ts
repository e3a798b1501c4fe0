import { expectSuccess } from '../../process/types';
import { shellJoin } from '../../shell/quote';
import { devPidFile, stopForegroundArgv } from '../foreground';
import type { Step } from '../types';

export interface RunOriginal {
  readonly unit: string;
  readonly pidFile: string;
  /** The foreground command (host argv): a reloaded window reopens the terminal with it. */
  readonly argv: readonly string[];
}

/**
 * Step 7, "Run in the foreground": the terminal starts the process; this step journals it first,
 * so Restore (even after a crash or a dropped connection) stops the dev process by its pid file.
 */
export function runStep(unit: string, argv: readonly string[]): Step<RunOriginal> {
  return {
    id: `run:${unit}`,
    title: `Run ${unit} in the foreground`,
    capture: async () => ({ unit, pidFile: devPidFile(unit), argv }),
    check: async () => false,
    apply: async () => undefined,
    async undo(ctx, original) {
      const line = shellJoin(stopForegroundArgv(ctx.runtime, ctx.container, original.unit));
      expectSuccess(line, await ctx.host.exec(line), `Stopping the dev process of ${original.unit} failed`);
    },
  };
}
