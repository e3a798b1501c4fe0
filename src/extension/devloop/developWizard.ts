import type { Catalog } from '../../core/catalog';
import { parseChangeRef, type ChangeSummary, type Patchset } from '../../core/gerrit';
import { assertGitRef, assertGitUrl } from '../../core/git/validate';
import type { ContainerView } from '../../core/model/hostView';
import type { WizardSource } from '../sources/localTree';
import { runWizard, type Prompter, type StepInfo } from '../wizard/prompter';
import { kollaUnits } from '../../core/kolla/names';

/** Where the code comes from: a local working tree (synced into the container), or in the container. */
export type AnswerSource =
  | WizardSource
  | { readonly kind: 'container-git'; readonly url: string; readonly ref: string }
  | { readonly kind: 'container-path'; readonly path: string };

export interface DevelopAnswers {
  readonly service: string;
  readonly unit: string;
  readonly source: AnswerSource;
  /** Folder name of the checkout (the repository's name). */
  readonly project: string;
  readonly debug: boolean;
}

export interface WizardContext {
  readonly workspaceFolder?: string;
  readonly gerritUrl: string;
  /** What the pickers list (branches, open changes, patchsets); when a list fails, the step asks for typed input. */
  readonly lists?: WizardLists;
  /** Where the code comes from, already chosen (the Gerrit view's Develop this change): only the unit and how to run are asked. */
  readonly preset?: SourcePreset;
}

export interface WizardLists {
  refs(url: string): Promise<string[]>;
  openChanges(gerritUrl: string, upstream: string): Promise<readonly ChangeSummary[]>;
  patchsets(gerritUrl: string, change: number): Promise<readonly Patchset[]>;
  /** The kolla_dev_mode checkout of `project` bind-mounted in the container (`/dev-mode/<project>`), if any. */
  devModeCheckout?(project: string): Promise<string | undefined>;
  /** A list that could not be read (offline, unknown project): logged, then typed input is asked. */
  failed?(what: string, error: unknown): void;
}

/** The "type it yourself" item of a picker: a value no ref or change number can be. */
const OTHER = ' other';

export interface SourcePreset {
  readonly source: WizardSource;
  /** Folder name of the checkout. */
  readonly project: string;
}

type SourceKind = AnswerSource['kind'];
/** What the code picker offers: a source kind, or the kolla_dev_mode checkout (a container path, found). */
type PickedKind = SourceKind | 'dev-mode';

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

/** A review URL names its Gerrit; a bare number uses the configured one. */
function gerritBase(change: string, fallback: string): string {
  const url = /^(https?:\/\/[^/]+)/.exec(change.trim());
  return url?.[1] ?? fallback;
}

/**
 * Asks only what cannot be inferred: the unit (when the container runs several), where the code
 * comes from and its branch or change, and whether to debug. Back goes one step back; Escape cancels.
 */
export async function askDevelopAnswers(prompter: Prompter, catalog: Catalog, container: ContainerView, context: WizardContext): Promise<DevelopAnswers | undefined> {
  const installed = container.units.map((u) => u.replace(/\.service$/, ''));
  const service = catalog.resolve(container.component ?? container.service, { units: installed });
  const known = Object.keys(service.units).filter((u) => installed.includes(u));
  const units = known.length > 0 ? known : installed.length > 0 ? installed : kollaUnits(service, container);
  if (units.length === 0) throw new Error(`${container.name} has no service units OSA Dev could develop.`);

  const state: { unit?: string; kind?: PickedKind; url?: string; ref?: string; path?: string; change?: string; gerritUrl?: string; debug?: boolean } = {};
  const list = async <T>(what: string, read: ((lists: WizardLists) => Promise<T>) | undefined): Promise<T | undefined> => {
    if (!context.lists || !read) return undefined;
    try {
      return await read(context.lists);
    } catch (error) {
      context.lists.failed?.(what, error);
      return undefined;
    }
  };
  const skipUnit = units.length === 1;
  const preset = context.preset;
  const devModePath = preset ? undefined : await list('the kolla_dev_mode checkout', (l) => l.devModeCheckout?.(service.name) ?? Promise.resolve(undefined));
  // With a preset source only the unit (step 1) and how to run (step 5) are asked.
  const total = preset ? (skipUnit ? 1 : 2) : skipUnit ? 4 : 5;
  const number = (step: number): number => (preset ? (step === 1 ? 1 : total) : skipUnit ? step - 1 : step);
  const info = (step: number, what: string): StepInfo => ({ title: `Develop ${service.name} in ${container.name}: ${what}`, step: number(step), totalSteps: total });

  const ok = await runWizard([
    async () => {
      if (skipUnit) {
        state.unit = units[0];
        return true;
      }
      state.unit = await prompter.pick(info(1, 'unit'), units.map((u) => ({ label: u, description: service.units[u]?.production ?? 'systemd', value: u })), 'Which unit runs your code in the foreground?');
      return state.unit !== undefined;
    },
    async () => {
      if (preset) {
        state.kind = preset.source.kind;
        return true;
      }
      state.kind = await prompter.pick<PickedKind>(
        info(2, 'code'),
        [
          ...(devModePath ? [{ label: `kolla_dev_mode checkout (${devModePath})`, description: 'the host checkout Kolla bind-mounts into the container', value: 'dev-mode' as const }] : []),
          ...(service.git ? [{ label: 'Upstream', description: `clone ${service.git} here, sync it into the container`, value: 'upstream' as const }] : []),
          { label: 'Fork or other repository…', description: 'clone any git URL here, sync it into the container', value: 'fork' },
          { label: 'Gerrit change…', description: 'a change number, NUMBER,PATCHSET or a review URL', value: 'gerrit' },
          ...(context.workspaceFolder ? [{ label: 'This workspace', description: context.workspaceFolder, value: 'workspace' as const }] : []),
          { label: 'Fetch inside the container…', description: 'a git URL the container itself can reach', value: 'container-git' },
          { label: 'Code already in the container…', description: 'a path inside the container', value: 'container-path' },
        ],
        'Where does the code come from?',
      );
      return state.kind !== undefined;
    },
    async () => {
      if (preset) return true;
      switch (state.kind) {
        case 'dev-mode':
          state.path = devModePath;
          return true;
        case 'container-path':
          state.path = await prompter.input(info(3, 'path'), 'Path of the project inside the container', state.path ?? `/opt/osa-dev/src/${service.name}`, (v) =>
            v.startsWith('/') && !v.split('/').includes('..') ? undefined : 'An absolute path without ".."',
          );
          return state.path !== undefined;
        case 'gerrit': {
          const changes = service.git ? await list('open changes', (l) => l.openChanges(context.gerritUrl, service.git!)) : undefined;
          let picked: number | string = OTHER;
          if (changes && changes.length > 0) {
            const items = changes.map((c) => ({
              label: `${c.number}  ${c.subject}`,
              description: [c.owner.name ?? c.owner.username ?? `#${c.owner.id}`, `updated ${c.updated.slice(0, 16)}`, c.latestPatchset ? `patchset ${c.latestPatchset}` : ''].filter(Boolean).join(' · '),
              value: c.number as number | string,
            }));
            const choice = await prompter.pick(info(3, 'change'), [...items, { label: 'Enter a change number or review URL…', value: OTHER }], `Open changes of ${service.name}, or type one`);
            if (choice === undefined) return false;
            picked = choice;
          }
          if (picked === OTHER) {
            state.change = await prompter.input(info(3, 'change'), 'Change number, NUMBER,PATCHSET, or review URL', state.change ?? '', validity(parseChangeRef));
            if (state.change === undefined) return false;
          } else state.change = String(picked);
          state.gerritUrl = gerritBase(state.change, context.gerritUrl);
          return true;
        }
        case 'upstream':
          state.url = service.git;
          return true;
        case 'workspace':
          return true;
        default:
          state.url = await prompter.input(info(3, 'repository'), state.kind === 'fork' ? 'Git URL (cloned on this machine)' : 'Git URL (fetched by the container)', state.url ?? '', validity(assertGitUrl));
          return state.url !== undefined;
      }
    },
    async () => {
      if (preset) return true;
      if (state.kind === 'gerrit') return askPatchset();
      if (state.kind !== 'upstream' && state.kind !== 'fork' && state.kind !== 'container-git') return true;
      // The container fetches container-git URLs itself: this machine may not reach them.
      const refs = state.kind === 'container-git' ? undefined : await list('branches', (l) => l.refs(state.url!));
      if (refs && refs.length > 0) {
        const items = refs.slice(0, 200).map((ref) => ({ label: ref, value: ref }));
        const choice = await prompter.pick(info(4, 'branch'), [...items, { label: 'Other branch, tag or ref…', value: OTHER }], 'Branch or tag to check out');
        if (choice === undefined) return false;
        if (choice !== OTHER) {
          state.ref = choice;
          return true;
        }
      }
      state.ref = await prompter.input(info(4, 'branch'), 'Branch, tag or ref to check out', state.ref ?? 'master', validity(assertGitRef));
      return state.ref !== undefined;
    },
    async () => {
      const debug = await prompter.pick(
        info(5, 'run'),
        [
          { label: 'Run', description: 'in the foreground, logs in a terminal', value: false },
          { label: 'Run under the debugger', description: 'debugpy in the container, attached through SSH', value: true },
        ],
        'How should the service run?',
      );
      state.debug = debug;
      return debug !== undefined;
    },
  ]);

  /** After a change without a patchset: its patchsets, latest first (skipped when it has one). */
  async function askPatchset(): Promise<boolean> {
    const typed = parseChangeRef(state.change!);
    if (typed.patchset !== undefined) return true;
    const patchsets = await list('patchsets', (l) => l.patchsets(state.gerritUrl ?? context.gerritUrl, typed.number));
    if (!patchsets || patchsets.length <= 1) return true;
    const latest = Math.max(...patchsets.map((p) => p.number));
    const items = [...patchsets]
      .sort((a, b) => b.number - a.number)
      .map((p) => ({ label: `Patchset ${p.number}${p.number === latest ? ' (latest)' : ''}`, description: p.created.slice(0, 16), value: p.number }));
    const choice = await prompter.pick(info(4, 'patchset'), items, `Which patchset of change ${typed.number}?`);
    if (choice === undefined) return false;
    if (choice !== latest) state.change = `${typed.number},${choice}`;
    return true;
  }

  if (!ok || !state.unit || !state.kind) return undefined;
  if (preset) return { service: service.name, unit: state.unit, source: preset.source, project: preset.project, debug: state.debug === true };
  const source = toSource(state, service.git, context);
  const project = source.kind === 'upstream' || source.kind === 'fork' || source.kind === 'container-git' ? projectOf(source.url, service.name) : service.name;
  return { service: service.name, unit: state.unit, source, project, debug: state.debug === true };
}

function toSource(state: { kind?: PickedKind; url?: string; ref?: string; path?: string; change?: string; gerritUrl?: string }, upstream: string | undefined, context: WizardContext): AnswerSource {
  switch (state.kind) {
    case 'dev-mode':
    case 'container-path':
      return { kind: 'container-path', path: state.path!.trim() };
    case 'gerrit':
      if (!upstream) throw new Error('This service has no upstream repository in the catalog to clone before checking out a change.');
      return { kind: 'gerrit', change: state.change!.trim(), gerritUrl: state.gerritUrl ?? gerritBase(state.change!, context.gerritUrl), upstream };
    case 'workspace':
      return { kind: 'workspace', path: context.workspaceFolder! };
    case 'container-git':
      return { kind: 'container-git', url: state.url!.trim(), ref: state.ref!.trim() };
    default:
      return { kind: state.kind === 'fork' ? 'fork' : 'upstream', url: state.url!.trim(), ref: state.ref!.trim() };
  }
}
