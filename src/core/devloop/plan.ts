import type { Catalog } from '../catalog/catalog';
import { expandArgv } from '../catalog/catalog';
import type { CatalogService, CatalogUnit } from '../catalog/types';
import { foregroundArgv } from './foreground';
import type { JournalDocument } from './journal';
import { codeStep, devSourceDir, type CodeSource } from './steps/codeStep';
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
}

/** Reads what it must from the container (the production venv) and lists the steps. */
export async function planDevelop(ctx: StepContext, catalog: Catalog, request: DevelopRequest, units: readonly string[]): Promise<DevelopPlan> {
  const service = catalog.resolve(request.service, { units });
  const unit = catalog.unit(service, request.unit);
  const found = await findVenv(ctx, request.unit, service.venv);
  if (found.note) ctx.logger.info(found.note);
  const prodVenv = found.venv;
  const dev = devVenvPath(service.name);
  const src = request.source.kind === 'container-path' ? request.source.path : devSourceDir(request.project);
  const steps: Step[] = [
    isolateStep({ name: request.container, ...(request.managementIp ? { ip: request.managementIp } : {}) }),
    stopUnit(request.unit),
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
  const argv = expandArgv(command, {
    venv: dev,
    config: unit?.config[0] ?? service.config[0],
    src,
    host: request.managementIp ?? '0.0.0.0',
    port: unit?.port === undefined ? undefined : String(unit.port),
  });
  const foreground = foregroundArgv(ctx.runtime, request.container, {
    unit: request.unit,
    ...(unit?.user ?? service.user ? { user: unit?.user ?? service.user } : {}),
    argv,
  });
  steps.push(runStep(request.unit, foreground));
  return { steps, service, unit, prodVenv, devVenv: dev, src, foreground };
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
        return nothingToUndo(entry.id, entry.title);
      default:
        throw new Error(`The journal of ${doc.container} has a step "${entry.id}" this version of OSA Dev does not know. Nothing was restored.`);
    }
  });
}

function splitId(id: string): [string, string?] {
  const colon = id.indexOf(':');
  return colon < 0 ? [id] : [id.slice(0, colon), id.slice(colon + 1)];
}
