/** Errors of the LXC runtime: each names what was expected so the UI can show it as is. */
import { clipText, shownValue } from '../../text/shownValue';

/** `lxc-ls` printed something that is not the fancy table we asked for. */
export class LxcOutputError extends Error {
  constructor(message: string) {
    // It quotes what lxc-ls printed: bounded, whatever that was.
    super(clipText(message, 1000));
    this.name = 'LxcOutputError';
  }
}

/** `lxc-ls` is not installed (or not on PATH) on the host. */
export class LxcNotFoundError extends Error {
  constructor(readonly host: string) {
    super(`lxc-ls not found on ${host}: is this an OSA host with LXC containers?`);
    this.name = 'LxcNotFoundError';
  }
}

/** A container name, user name, env key or directory that cannot be passed safely. */
export class InvalidNameError extends Error {
  constructor(
    readonly kind: string,
    readonly value: string,
    rule: string,
  ) {
    super(`Invalid ${kind} ${shownValue(value)}: ${rule}`);
    this.name = 'InvalidNameError';
  }
}
