/** Reading pip's failures. */

const MISSING = [
  /No matching distribution found for ([^\s]+)/g,
  /Could not find a version that satisfies the requirement ([^\s]+)/g,
];

/** Requirement names pip could not find ("osalab-new>=2.0" → "osalab-new>=2.0"), deduplicated. */
export function missingPackagesIn(output: string): string[] {
  const found = new Set<string>();
  for (const re of MISSING) {
    for (const match of output.matchAll(re)) found.add(match[1]!.replace(/[,;]$/, ''));
  }
  return [...found];
}

export class MissingPackagesError extends Error {
  constructor(
    readonly packages: readonly string[],
    readonly container: string,
    readonly output: string,
  ) {
    super(
      `pip could not find ${packages.join(', ')} in ${container}: the OpenStack-Ansible wheel repository ` +
        `(the repo server's find-links, no-index) only holds what the deployed release needs, and your ` +
        `change needs packages or versions it lacks. Next step: retry with the public index enabled in ` +
        `the container's pip.conf (VS Code offers the retry; CLI: osa-dev develop … --index-url URL), ` +
        `which Restore production puts back byte for byte; or add the wheels to the repo server.`,
    );
    this.name = 'MissingPackagesError';
  }
}
