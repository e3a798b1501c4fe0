import type { Catalog } from '../catalog/catalog';
import { debugAdvice, debugpyArgv, validateDebugPort, validateListenHost } from '../debug/argv';
import { debugConfigPath, debugConfStep, renderDebugConfig } from '../debug/debugConf';
import { debugpyStep } from '../debug/debugpy';
import { checkDebugRun } from '../debug/preflight';
import { expandArgv } from '../catalog/catalog';
import type { CatalogService, CatalogUnit } from '../catalog/types';
import { devPidFile, foregroundArgv } from './foreground';
import type { JournalDocument } from './journal';
import type { PhysicalNode } from '../model/topology';
import { assertContainerProject, codeStep, devSourceDir, type CodeSource } from './steps/codeStep';
import { dbSync } from './steps/dbSync';
import { devVenv, devVenvPath } from './steps/devVenv';
import { editFileStep } from './steps/editFileStep';
import { findVenv } from './steps/findVenv';
import { installDeps } from './steps/installDeps';
import { isolateStep } from './steps/isolateStep';
import { pipConf } from './steps/pipConf';
import { runStep } from './steps/runStep';
import { stopUnit } from './steps/stopUnit';
import type { Step, StepContext } from './types';
import { shownValue } from '../text/shownValue';
import { kollaHold } from '../kolla/kollaHold';
import { KOLLA_VENV } from '../kolla/layout';
import { ociCliOf } from '../runtime/hostRuntimes';

/** What the user chose in the Develop wizard (journaled, so Resume asks nothing again). */
export interface DevelopRequest {
  readonly container: string;
  readonly managementIp?: string;
  readonly service: string;
  /** systemd unit without `.service`. */
  readonly unit: string;
  readonly source: CodeSource;
  /** Folder name of the dev checkout under /opt/osa-dev/src (usually the repository's name). */
  readonly project: string;
  /** Retry with this package index enabled in the container's pip.conf (OSA's wheel repo lacks a package). */
  readonly indexUrl?: string;
  readonly forceDbSync?: boolean;
  /** Run the foreground process under debugpy, listening on managementIp:port (attach over SSH). */
  readonly debug?: { readonly port: number; readonly waitForClient?: boolean };
  /** The physical host the container runs on when that is not the deployment host (journaled for Restore). */
  readonly node?: PhysicalNode;
}

/** What a debug run needs besides the plan's steps (for the attach and the UI). */
export interface DebugRunInfo {
  /** debugpy listens here (the container's management IP) and nowhere else. */
  readonly listenHost: string;
  readonly port: number;
  readonly waitForClient: boolean;
  /** Environment added to the foreground run (catalog debug env + what debugpy needs). */
  readonly env: Readonly<Record<string, string>>;
  /** Extra `--config-file` with the catalog's debug options, when the unit has any. */
  readonly configFile?: string;
  /** The catalog's debug notes and derived warnings (eventlet…), for the UI. */
  readonly notes: readonly string[];
  readonly eventletWithoutSwitch: boolean;
}

export interface DevelopPlan {
  readonly steps: readonly Step[];
  readonly service: CatalogService;
  readonly unit: CatalogUnit | undefined;
  readonly prodVenv: string;
  readonly devVenv: string;
  readonly src: string;
  /** argv (on the host, with a PTY) of the foreground dev process. */
  readonly foreground: string[];
  /** Present when the request asked for debugging. */
  readonly debug?: DebugRunInfo;
}

/** Reads what it must from the container (the production venv) and lists the steps. */
export async function planDevelop(ctx: StepContext, catalog: Catalog, request: DevelopRequest, units: readonly string[]): Promise<DevelopPlan> {
  const service = catalog.resolve(request.service, { units });
  const unit = catalog.unit(service, request.unit);
  // A Kolla container (podman/docker): the service is the container's main process, in Kolla's venv.
  const kolla = ociCliOf(ctx.runtime, request.container) !== undefined;
  const found = kolla ? { venv: KOLLA_VENV } : await findVenv(ctx, request.unit, service.venv);
  if ('note' in found && found.note) ctx.logger.info(found.note);
  const prodVenv = found.venv;
  const dev = devVenvPath(service.name);
  const src = request.source.kind === 'container-path' ? request.source.path : devSourceDir(request.project);
  // A wrong path is refused now, not after step 1 and 2 isolated the container and stopped the unit.
  if (request.source.kind === 'container-path') await assertContainerProject(ctx, request.source.path);
  const steps: Step[] = [
    ...(kolla
      ? [kollaHold() as Step]
      : [isolateStep({ name: request.container, ...(request.managementIp ? { ip: request.managementIp } : {}) }) as Step, stopUnit(request.unit) as Step]),
    codeStep(request.project, request.source),
    devVenv(service.name, prodVenv),
    ...(request.indexUrl ? [pipConf({ prodVenv, unit: request.unit, indexUrl: request.indexUrl })] : []),
    installDeps({ prodVenv, devVenv: dev, src }),
    ...(service.dbSync ? [dbSync({ service, devVenv: dev, src, ...(request.forceDbSync ? { force: true } : {}) })] : []),
  ];
  const command = unit?.command;
  if (!command) {
    throw new Error(
      `OSA Dev does not know how to run ${request.unit} in the foreground. Add its command to .osa-dev.yaml ` +
        `(services.${service.name}.units.${request.unit}.command, e.g. ["{venv}/bin/${request.unit}", "--config-file", "{config}"]).`,
    );
  }
  let argv = expandArgv(command, {
    venv: dev,
    config: unit?.config[0] ?? service.config[0],
    src,
    host: request.managementIp ?? '0.0.0.0',
    port: unit?.port === undefined ? undefined : String(unit.port),
  });
  let debug: DebugRunInfo | undefined;
  if (request.debug) {
    if (!request.managementIp) throw new Error(`Debugging ${request.unit} needs the management IP of ${request.container} (debugpy listens only there).`);
    const listenHost = validateListenHost(request.managementIp);
    const port = validateDebugPort(request.debug.port);
    const advice = debugAdvice(request.unit, unit?.debug, unit?.haproxy ? { haproxyBackend: unit.haproxy } : {});
    // Before any step: a port in use or no debugpy to be had refuses, changing nothing more.
    await checkDebugRun(ctx, { ip: listenHost, port, pidFile: devPidFile(request.unit), prodVenv, devVenv: dev });
    steps.push(debugpyStep(dev));
    let configFile: string | undefined;
    if (renderDebugConfig(unit?.debug.options ?? {}) !== '') {
      configFile = debugConfigPath(request.unit);
      steps.push(debugConfStep(request.unit, unit!.debug.options));
      argv = [...argv, '--config-file', configFile];
    }
    const waitForClient = request.debug.waitForClient ?? false;
    argv = debugpyArgv(`${dev}/bin/python`, listenHost, port, argv, { waitForClient });
    debug = { listenHost, port, waitForClient, env: advice.env, ...(configFile ? { configFile } : {}), notes: advice.notes, eventletWithoutSwitch: advice.eventletWithoutSwitch };
  }
  const foreground = foregroundArgv(ctx.runtime, request.container, {
    unit: request.unit,
    ...(unit?.user ?? service.user ? { user: unit?.user ?? service.user } : {}),
    argv,
    ...(debug ? { env: debug.env } : {}),
  });
  steps.push(runStep(request.unit, foreground));
  return { steps, service, unit, prodVenv, devVenv: dev, src, foreground, ...(debug ? { debug } : {}) };
}

/** Steps whose undo leaves production as it is (the dev area under /opt/osa-dev is a cache). */
function nothingToUndo(id: string, title: string): Step<unknown> {
  return { id, title, capture: async () => ({}), check: async () => true, apply: async () => undefined, undo: async () => undefined };
}

/**
 * Steps able to undo a journal, rebuilt from step ids alone: every undo works from the journaled
 * original, so Restore needs neither the catalog nor the wizard's answers.
 */
export function stepsForRestore(doc: JournalDocument): Step[] {
  return doc.steps.map((entry): Step => {
    const [kind, arg = ''] = splitId(entry.id);
    switch (kind) {
      case 'isolate':
        return isolateStep({ name: doc.container }) as Step;
      case 'stop-unit':
        return stopUnit(arg) as Step;
      case 'kolla-hold':
        return kollaHold() as Step;
      case 'run':
        return runStep(arg, []) as Step;
      case 'edit':
        return editFileStep(arg, new Uint8Array()) as Step;
      case 'pip-conf':
        return pipConf({ prodVenv: '' }) as Step;
      case 'code':
      case 'dev-venv':
      case 'install-deps':
      case 'db-sync':
      case 'debugpy':
      case 'debug-conf':
        return nothingToUndo(entry.id, entry.title);
      default:
        throw new Error(`The journal of ${doc.container} has a step ${shownValue(entry.id)} this version of OSA Dev does not know. Nothing was restored.`);
    }
  });
}

function splitId(id: string): [string, string?] {
  const colon = id.indexOf(':');
  return colon < 0 ? [id] : [id.slice(0, colon), id.slice(colon + 1)];
}
