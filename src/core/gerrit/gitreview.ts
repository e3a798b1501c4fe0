/** `.gitreview` (git-review's INI file). Pure. */
import { GerritInputError } from './errors';
import { shownValue } from '../text/shownValue';

export interface GitReviewConfig {
  readonly host: string;
  /** SSH port; git-review's default is 29418. */
  readonly port: number;
  readonly project: string;
  readonly defaultBranch: string;
  readonly defaultRemote: string;
  /** git-review's `scheme` (ssh by default; http/https for Gerrit without SSH). */
  readonly scheme: 'ssh' | 'http' | 'https';
}

/** Parses `[gerrit]` host/port/project/defaultbranch/defaultremote/scheme; host and project are required. */
export function parseGitReview(text: string, file = '.gitreview'): GitReviewConfig {
  const values = new Map<string, string>();
  let section: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    // `[^\]]*` then trim: a lazy group followed by `\s*` backtracked quadratically on long blanks.
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header && header[1]!.trim() !== '') {
      section = header[1]!.trim().toLowerCase();
      return;
    }
    const pair = /^([A-Za-z][A-Za-z0-9_-]*)\s*[=:]\s*(.*)$/.exec(line);
    if (!pair) throw new GerritInputError(`${file}:${index + 1}: cannot read ${shownValue(line)} (expected key=value).`);
    if (section === undefined) throw new GerritInputError(`${file}:${index + 1}: ${shownValue(line)} is outside the [gerrit] section.`);
    if (section === 'gerrit') values.set(pair[1]!.toLowerCase(), pair[2]!.trim());
  });
  const host = values.get('host');
  const project = values.get('project');
  if (!host) throw new GerritInputError(`${file}: [gerrit] host is missing.`);
  if (!project) throw new GerritInputError(`${file}: [gerrit] project is missing.`);
  // A leading '-' would be read as an option where the host reaches git or ssh (CVE-2017-1000117).
  if (!/^[A-Za-z0-9.][A-Za-z0-9.-]*$|^\[[0-9A-Fa-f:.]+\]$/.test(host)) throw new GerritInputError(`${file}: host ${shownValue(host)} is not a host name.`);
  if (!/^[A-Za-z0-9._/-]+$/.test(project) || project.split('/').some((p) => p === '..' || p === '' || p.startsWith('-'))) {
    throw new GerritInputError(`${file}: project ${shownValue(project)} is not a project name.`);
  }
  const portText = values.get('port');
  const port = portText === undefined || portText === '' ? 29418 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new GerritInputError(`${file}: port ${shownValue(portText ?? "")} is not a TCP port.`);
  const scheme = (values.get('scheme') ?? 'ssh').toLowerCase();
  if (scheme !== 'ssh' && scheme !== 'http' && scheme !== 'https') throw new GerritInputError(`${file}: scheme ${shownValue(scheme)} is not ssh, http or https.`);
  return {
    host,
    port,
    project: project.replace(/\.git$/, ''),
    defaultBranch: values.get('defaultbranch') || 'master',
    defaultRemote: values.get('defaultremote') || 'gerrit',
    scheme,
  };
}
