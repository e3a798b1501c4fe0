/** Errors of the Gerrit client; each message says what happened and what to check. */
import { clipText } from '../text/shownValue';

export class GerritError extends Error {
  constructor(message: string) {
    // Messages may quote a Gerrit answer or a typed value: bounded, whatever that was.
    super(clipText(message, 1000));
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
          ? `Not authorized by ${host}: it refused the user name or HTTP password (HTTP 401). Set them again as your Gerrit settings page shows them under HTTP Credentials.`
          : `Not authorized by ${host}: it requires signing in (HTTP 401). Set your user name and HTTP password (your Gerrit settings page, HTTP Credentials).`
        : `Not authorized by ${host}: your account lacks the permission (HTTP 403).`,
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
