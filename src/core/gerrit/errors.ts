/** Errors of the Gerrit client; each message says what happened and what to check. */

export class GerritError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Something a user typed (change ref, .gitreview) is not understood. */
export class GerritInputError extends GerritError {}
export class ChangeNotFoundError extends GerritError {
  constructor(readonly change: number, host: string) {
    super(`Change ${change} was not found on ${host} (it does not exist, or it is not visible to you: try signing in).`);
  }
}
export class PatchsetNotFoundError extends GerritError {
  constructor(readonly change: number, readonly patchset: number, readonly available: readonly number[]) {
    super(
      `Change ${change} has no patchset ${patchset}` +
        (available.length > 0 ? ` (it has ${available.length === 1 ? 'patchset' : 'patchsets'} ${formatRange(available)}).` : '.'),
    );
  }
}
export class GerritAuthError extends GerritError {
  constructor(readonly status: number, host: string, authenticated: boolean) {
    super(
      status === 401
        ? authenticated
          ? `${host} refused the user name or HTTP password (401): check the HTTP credentials in your Gerrit settings page.`
          : `${host} requires signing in (401): set up an HTTP password.`
        : `${host} does not allow this (403): your account lacks the permission.`,
    );
  }
}
export class GerritUnreachableError extends GerritError {
  constructor(host: string, cause: string) {
    super(`Cannot reach Gerrit at ${host}: ${cause}`);
  }
}
export class GerritResponseError extends GerritError {}

function formatRange(numbers: readonly number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  const contiguous = sorted.every((n, i) => i === 0 || n === sorted[i - 1]! + 1);
  return contiguous && sorted.length > 2 ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(', ');
}
