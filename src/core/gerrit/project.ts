/**
 * Which Gerrit project a working tree belongs to: its `.gitreview`, else its git remotes, else the
 * user's settings (as git-review itself looks, .gitreview first).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GerritInputError } from './errors';
import { parseGitReview } from './gitreview';

export interface GerritProject {
  /** The REST/web base, e.g. `https://review.opendev.org`. */
  readonly baseUrl: string;
  readonly project: string;
  /** `.gitreview` defaultbranch: the view lists changes for it. Absent: every branch. */
  readonly branch?: string;
  /** Where it was found, for messages: `.gitreview`, `remote gerrit`, `setting`… */
  readonly from: string;
}

const GIT_REVIEW_SSH_PORT = 29418;
const PROJECT = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

function cleanProject(path: string): string | undefined {
  const project = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  return PROJECT.test(project) && !project.split('/').some((p) => p === '..' || p === '.') ? project : undefined;
}

/** From `.gitreview`: http(s) schemes name the web server (port kept unless it is git-review's SSH default); ssh means https on the same host. */
export function projectFromGitReview(text: string): GerritProject {
  const config = parseGitReview(text);
  const port = config.scheme !== 'ssh' && config.port !== GIT_REVIEW_SSH_PORT ? `:${config.port}` : '';
  const baseUrl = config.scheme === 'ssh' ? `https://${config.host}` : `${config.scheme}://${config.host}${port}`;
  return { baseUrl, project: config.project, branch: config.defaultBranch, from: '.gitreview' };
}

/**
 * A remote URL's host and project: `ssh://user@host:29418/openstack/heat`, `user@host:openstack/heat`,
 * `https://host[:port]/[a/]openstack/heat[.git]`. undefined for anything else.
 */
export function parseRemoteUrl(url: string): { baseUrl: string; project: string } | undefined {
  const scp = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const project = cleanProject(scp[2]!);
    return project ? { baseUrl: `https://${scp[1]}`, project } : undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(parsed.hostname)) return undefined;
  if (parsed.protocol === 'ssh:') {
    const project = cleanProject(decodeURIComponent(parsed.pathname));
    return project ? { baseUrl: `https://${parsed.hostname}`, project } : undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  // Gerrit serves authenticated git under /a/ too.
  const project = cleanProject(decodeURIComponent(parsed.pathname).replace(/^\/a\//, '/'));
  return project ? { baseUrl: `${parsed.protocol}//${parsed.host}`, project } : undefined;
}

export interface ProjectSources {
  /** `.gitreview`'s text, when the tree has one. */
  readonly gitReview?: string;
  /** Remote name → URL. */
  readonly remotes: ReadonlyMap<string, string>;
  /** `osaDev.gerritUrl`, and `osaDev.gerrit.project` when set. */
  readonly setting: { readonly gerritUrl: string; readonly project?: string };
}

/**
 * `.gitreview`; else the `gerrit` remote git-review adds (its host is the Gerrit); else `origin`'s
 * project on the configured Gerrit (origin is usually a mirror such as opendev.org); else the
 * project setting. undefined: this tree has no Gerrit project.
 */
export function resolveGerritProject(sources: ProjectSources): GerritProject | undefined {
  if (sources.gitReview !== undefined) return projectFromGitReview(sources.gitReview);
  const gerrit = sources.remotes.get('gerrit');
  const fromGerrit = gerrit === undefined ? undefined : parseRemoteUrl(gerrit);
  if (fromGerrit) return { ...fromGerrit, from: 'remote gerrit' };
  const origin = sources.remotes.get('origin');
  const fromOrigin = origin === undefined ? undefined : parseRemoteUrl(origin);
  const baseUrl = sources.setting.gerritUrl.replace(/\/+$/, '');
  if (fromOrigin) return { baseUrl, project: fromOrigin.project, from: 'remote origin' };
  const project = sources.setting.project ? cleanProject(sources.setting.project) : undefined;
  if (sources.setting.project && !project) throw new GerritInputError(`The project setting "${sources.setting.project}" is not a Gerrit project name.`);
  return project ? { baseUrl, project, from: 'setting' } : undefined;
}

/** Reads `.gitreview` and the remotes of `dir` (not a git tree: no remotes), then resolves. */
export async function detectGerritProject(dir: string, setting: ProjectSources['setting']): Promise<GerritProject | undefined> {
  const gitReview = await readFile(join(dir, '.gitreview'), 'utf8').catch(() => undefined);
  return resolveGerritProject({ ...(gitReview === undefined ? {} : { gitReview }), remotes: await remotes(dir), setting });
}

function remotes(dir: string): Promise<Map<string, string>> {
  return new Promise((resolve) => {
    execFile('git', ['-C', dir, 'config', '--get-regexp', '^remote\\..*\\.url$'], { encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout) => {
      const found = new Map<string, string>();
      if (!error) {
        for (const line of stdout.split('\n')) {
          const match = /^remote\.(.+)\.url (.+)$/.exec(line);
          if (match) found.set(match[1]!, match[2]!);
        }
      }
      resolve(found);
    });
  });
}
