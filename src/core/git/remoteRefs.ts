/** Reading `git ls-remote` output. Pure. */

/** Branches and tags from `git ls-remote --heads --tags` output, newest stable branches first. */
export function parseRemoteRefs(lsRemote: string): string[] {
  const names = lsRemote
    .split('\n')
    .map((line) => /\trefs\/(?:heads|tags)\/(.+?)(\^\{\})?$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  const unique = [...new Set(names)];
  const rank = (name: string): number => (name === 'master' ? 0 : name.startsWith('stable/') ? 1 : /^\d/.test(name) ? 3 : 2);
  return unique.sort((a, b) => rank(a) - rank(b) || b.localeCompare(a, undefined, { numeric: true }));
}
