/**
 * "Stop the service" for a Kolla container. Kolla runs the service as the container's main process
 * (kolla_start execs config.json's command): there is no unit to stop, and stopping the process
 * stops the container. So the container keeps running with the service replaced by a keeper: the
 * host's /etc/kolla/<service>/config.json gets `"command": "sleep infinity"` and the container is
 * restarted (kolla_start copies the configs and runs the keeper); the dev process then runs in it
 * through `podman exec`. Restore writes config.json back byte for byte (mode and owner too) and
 * restarts the container, which runs the production command again; a container that was stopped is
 * left stopped. The image, the container (same id) and its own command are never changed.
 */
import { CommandFailedError, type ShellRunner } from '../process/types';
import { shellJoin } from '../shell/quote';
import { readFileVia, restoreFileVia, writeFileVia, type FileSnapshot } from '../devloop/steps/containerFile';
import { StepRefused, type Step, type StepContext } from '../devloop/types';
import { ociCliOf, runtimeKindOf } from '../runtime/hostRuntimes';
import { assertContainerName } from '../runtime/lxc/validate';
import type { OciCli } from '../runtime/oci/ociRuntime';
import { configCommand, hostConfigJson, INSPECT_FORMAT, KOLLA_CONFIG_MOUNT, KOLLA_RUN_COMMAND, parseKollaInspect, withCommand } from './layout';

/** What runs instead of the service while developing: nothing, forever. */
export const KOLLA_KEEPER = 'sleep infinity';
// The service gets its usual grace to stop. The keeper holds nothing, and as a container's PID 1
// (no dumb-init in front) it ignores SIGTERM: waiting the full grace would only cost time.
const SERVICE_STOP_SECONDS = 10;
const KEEPER_STOP_SECONDS = 2;

export interface KollaHoldOriginal {
  readonly cli: OciCli;
  readonly containerId: string;
  readonly image: string;
  readonly running: boolean;
  /** The host's config.json as it was (bytes, mode, owner). */
  readonly config: ExistingFile;
  /** Its command (what kolla_start runs), for the journal and the checks. */
  readonly command: string;
}

type ExistingFile = Extract<FileSnapshot, { readonly exists: true }>;

export class KollaContainerError extends StepRefused {
  override readonly name = 'KollaContainerError';
}

const onHost = (argv: string[]): string[] => argv;

// $1 cli, $2 container, $3 "running" or "stopped" wanted, $4 the command /run_command must hold
// (running) with kolla_start gone (it execs the command), $5 tries of 0.2 s. 0: as wanted; 4: not
// in time; 3: the container stopped by itself.
const WAIT = `cli=$1 name=$2 want=$3 cmd=$4 tries=$5 i=0
while [ "$i" -lt "$tries" ]; do
  st=$("$cli" container inspect --format '{{.State.Status}}' "$name") || exit 1
  if [ "$want" = stopped ]; then
    [ "$st" != running ] && exit 0
  elif [ "$st" = running ] && [ "$("$cli" exec "$name" cat ${KOLLA_RUN_COMMAND} 2>/dev/null)" = "$cmd" ]; then
    # kolla_start has handed over once no process is named kolla_start (dev-mode installs run before)
    "$cli" exec "$name" sh -c 'cat /proc/[0-9]*/comm 2>/dev/null' | grep -qx kolla_start || exit 0
  elif [ "$st" != running ] && [ "$i" -gt 10 ]; then
    exit 3
  fi
  sleep 0.2; i=$((i+1))
done
exit 4`;

export function kollaHold(options: { readonly waitSeconds?: number } = {}): Step<KollaHoldOriginal> {
  const waitSeconds = options.waitSeconds ?? 60;
  return {
    id: 'kolla-hold',
    title: 'Replace the Kolla service by a keeper',

    async capture(ctx) {
      const cli = ociCli(ctx);
      const inspect = await inspectContainer(ctx, cli);
      const path = hostConfigJson(inspect);
      if (path === undefined) {
        throw new KollaContainerError(`${ctx.container} is not a Kolla container: nothing is bind-mounted at ${KOLLA_CONFIG_MOUNT}. Nothing was changed.`);
      }
      const config = await readFileVia(ctx.host, onHost, 'on the host', path);
      if (!config.exists) throw new KollaContainerError(`${path} (the config.json of ${ctx.container}) does not exist on the host. Nothing was changed.`);
      const command = configCommand(Buffer.from(config.base64, 'base64').toString('utf8'), path);
      if (command === KOLLA_KEEPER) {
        throw new KollaContainerError(`${path} already runs "${KOLLA_KEEPER}": restore the earlier dev session first (or fix the file). Nothing was changed.`);
      }
      return { cli, containerId: inspect.id, image: inspect.image, running: inspect.status === 'running', config, command };
    },

    async check(ctx, original) {
      const current = await readFileVia(ctx.host, onHost, 'on the host', original.config.path);
      if (!current.exists || configCommand(Buffer.from(current.base64, 'base64').toString('utf8'), current.path) !== KOLLA_KEEPER) return false;
      return (await wait(ctx, original, 'running', KOLLA_KEEPER, '1')).code === 0;
    },

    async apply(ctx, original) {
      const text = Buffer.from(original.config.base64, 'base64').toString('utf8');
      ctx.report(`${original.config.path}: "${original.command}" → "${KOLLA_KEEPER}"`);
      await writeFileVia(ctx.host, onHost, 'on the host', original.config.path, Buffer.from(withCommand(text, KOLLA_KEEPER)), original.config);
      ctx.report(`Restarting ${ctx.container} with the keeper`);
      await restart(ctx, original, SERVICE_STOP_SECONDS);
      await waitOk(ctx, original, 'running', KOLLA_KEEPER, waitSeconds);
    },

    async undo(ctx, original) {
      const current = await readFileVia(ctx.host, onHost, 'on the host', original.config.path);
      const same = current.exists && current.base64 === original.config.base64 && current.mode === original.config.mode && current.uid === original.config.uid && current.gid === original.config.gid;
      if (!same) await restoreFileVia(ctx.host, onHost, 'on the host', original.config);
      if (!original.running) {
        ctx.report(`${ctx.container} was stopped: stopping it again`);
        await cliOk(ctx, [original.cli, 'stop', ctx.container], `Stopping ${ctx.container}`);
        await waitOk(ctx, original, 'stopped', '', waitSeconds);
        return;
      }
      // Already back (an undo run twice)? Then no second restart.
      if (same && (await wait(ctx, original, 'running', original.command, '1')).code === 0) return;
      ctx.report(`Restarting ${ctx.container}: ${original.command}`);
      await restart(ctx, original, KEEPER_STOP_SECONDS);
      await waitOk(ctx, original, 'running', original.command, waitSeconds);
    },
  };
}

function ociCli(ctx: StepContext): OciCli {
  const cli = ociCliOf(ctx.runtime, ctx.container);
  if (!cli) throw new KollaContainerError(`${ctx.container} runs under ${runtimeKindOf(ctx.runtime, ctx.container)}, not podman or docker: not a Kolla container.`);
  return cli;
}

export async function inspectContainer(ctx: StepContext, cli: OciCli): Promise<ReturnType<typeof parseKollaInspect>> {
  const argv = [cli, 'container', 'inspect', '--format', INSPECT_FORMAT, assertContainerName(ctx.container)];
  const result = await ctx.host.exec(shellJoin(argv), { signal: ctx.signal });
  if (result.code === 127) throw new KollaContainerError(`${cli} not found on this host: is it a Kolla host with ${cli} containers? Nothing was changed.`);
  if (result.code !== 0 && /no such (container|object)/i.test(result.stderr)) {
    throw new KollaContainerError(`No container ${ctx.container} on this host (${cli}). Nothing was changed.`);
  }
  if (result.code !== 0) throw new CommandFailedError(shellJoin(argv), result, `Inspecting ${ctx.container} failed`);
  return parseKollaInspect(result.stdout.trim());
}

async function restart(ctx: StepContext, original: KollaHoldOriginal, stopSeconds: number): Promise<void> {
  await cliOk(ctx, [original.cli, 'restart', '-t', String(stopSeconds), ctx.container], `Restarting ${ctx.container}`);
}

async function cliOk(ctx: StepContext, argv: string[], summary: string): Promise<void> {
  const result = await ctx.host.exec(shellJoin(argv), { signal: ctx.signal });
  if (result.code !== 0) throw new CommandFailedError(shellJoin(argv), result, summary);
}

function wait(ctx: StepContext, original: KollaHoldOriginal, want: 'running' | 'stopped', command: string, tries: string): ReturnType<ShellRunner['exec']> {
  return ctx.host.exec(shellJoin(['sh', '-c', WAIT, 'sh', original.cli, ctx.container, want, command, tries]), { signal: ctx.signal });
}

async function waitOk(ctx: StepContext, original: KollaHoldOriginal, want: 'running' | 'stopped', command: string, waitSeconds: number): Promise<void> {
  const result = await wait(ctx, original, want, command, String(Math.max(1, Math.round(waitSeconds / 0.2))));
  if (result.code === 0) return;
  const why = result.code === 3 ? 'stopped by itself' : result.code === 4 ? `is not ${want === 'stopped' ? 'stopped' : `running "${command}"`} after ${waitSeconds} s` : 'could not be inspected';
  throw new CommandFailedError(`${original.cli} restart ${ctx.container}`, result, `${ctx.container} ${why} (see: ${original.cli} logs ${ctx.container})`);
}
