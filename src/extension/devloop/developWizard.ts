import type { Catalog } from '../../core/catalog';
import type { DevelopRequest } from '../../core/devloop/plan';
import type { CodeSource } from '../../core/devloop/steps/codeStep';
import { assertGitRef, assertGitUrl } from '../../core/git/validate';
import type { ContainerView } from '../../core/model/hostView';
import { runWizard, type Prompter, type StepInfo } from '../wizard/prompter';

type SourceKind = 'upstream' | 'fork' | 'container-path';

function validity(check: (value: string) => unknown): (value: string) => string | undefined {
  return (value) => {
    try {
      check(value.trim());
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
}

/** The repository's folder name: the last path part of its URL, without `.git`. */
export function projectOf(url: string, fallback: string): string {
  const name = url.replace(/\.git\/?$/, '').split(/[/:]/).filter(Boolean).pop() ?? '';
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) ? name : fallback;
}

/**
 * Asks only what cannot be inferred: the unit (when the container runs several), where the code
 * comes from, and its branch. Back goes one step back; Escape cancels (undefined).
 */
export async function askDevelopRequest(prompter: Prompter, catalog: Catalog, container: ContainerView): Promise<DevelopRequest | undefined> {
  const service = catalog.resolve(container.component ?? container.service, { units: container.units.map((u) => u.replace(/\.service$/, '')) });
  const installed = new Set(container.units.map((u) => u.replace(/\.service$/, '')));
  const known = Object.keys(service.units).filter((u) => installed.has(u));
  const units = known.length > 0 ? known : [...installed];
  if (units.length === 0) throw new Error(`${container.name} has no service units OSA Dev could develop.`);

  const state: { unit?: string; kind?: SourceKind; url?: string; ref?: string; path?: string } = {};
  const total = units.length > 1 ? 4 : 3;
  const info = (step: number, what: string): StepInfo => ({ title: `Develop ${service.name} in ${container.name}: ${what}`, step: step - (units.length > 1 ? 0 : 1), totalSteps: total });

  const ok = await runWizard([
    async () => {
      if (units.length === 1) {
        state.unit = units[0];
        return true;
      }
      state.unit = await prompter.pick(
        info(1, 'unit'),
        units.map((u) => ({ label: u, description: service.units[u]?.production ?? 'systemd', value: u })),
        'Which unit runs your code in the foreground?',
      );
      return state.unit !== undefined;
    },
    async () => {
      state.kind = await prompter.pick<SourceKind>(
        info(2, 'code'),
        [
          ...(service.git ? [{ label: 'Upstream', description: service.git, value: 'upstream' as const }] : []),
          { label: 'Fork or other repository…', description: 'any git URL the container can reach', value: 'fork' },
          { label: 'Code already in the container…', description: 'a path inside the container', value: 'container-path' },
        ],
        'Where does the code come from?',
      );
      return state.kind !== undefined;
    },
    async () => {
      if (state.kind === 'container-path') {
        state.path = await prompter.input(info(3, 'path'), 'Path of the project inside the container', state.path ?? `/opt/osa-dev/src/${service.name}`, (v) =>
          v.startsWith('/') && !v.split('/').includes('..') ? undefined : 'An absolute path without ".."',
        );
        return state.path !== undefined;
      }
      if (state.kind === 'upstream') {
        state.url = service.git;
        return true;
      }
      state.url = await prompter.input(info(3, 'repository'), 'Git URL (the container fetches it)', state.url ?? '', validity(assertGitUrl));
      return state.url !== undefined;
    },
    async () => {
      if (state.kind === 'container-path') return true;
      state.ref = await prompter.input(info(4, 'branch'), 'Branch, tag or ref to check out', state.ref ?? 'master', validity(assertGitRef));
      return state.ref !== undefined;
    },
  ]);
  if (!ok || !state.unit || !state.kind) return undefined;
  const source: CodeSource =
    state.kind === 'container-path'
      ? { kind: 'container-path', path: state.path!.trim() }
      : { kind: 'git', url: state.url!.trim(), ref: state.ref!.trim() };
  return {
    container: container.name,
    ...(container.managementIp ? { managementIp: container.managementIp } : {}),
    service: service.name,
    unit: state.unit,
    source,
    project: source.kind === 'git' ? projectOf(source.url, service.name) : service.name,
  };
}
