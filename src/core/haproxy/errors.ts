/** Errors of the HAProxy layer: each says what went wrong and what to do next. */
import { clipText, shownValue } from '../text/shownValue';

/** The admin socket cannot be used: missing, refused, not allowed, or no client to talk to it. */
export class HaproxySocketError extends Error {
  constructor(
    readonly reason: 'no-client' | 'no-socket' | 'refused' | 'permission' | 'not-admin' | 'failed',
    readonly socket: string,
    message: string,
  ) {
    super(message);
    this.name = 'HaproxySocketError';
  }
}

/** HAProxy answered a runtime command with an error ("No such server.", "No such backend."). */
export class HaproxyCommandError extends Error {
  constructor(
    readonly command: string,
    readonly answer: string,
  ) {
    super(`HAProxy refused "${command}": ${answer.trim()}`);
    this.name = 'HaproxyCommandError';
  }
}

/** Output that is not what the command prints (a wrong version, a truncated table). */
export class HaproxyOutputError extends Error {
  constructor(message: string) {
    // It quotes what HAProxy printed: bounded, whatever that was.
    super(clipText(message, 1000));
    this.name = 'HaproxyOutputError';
  }
}

/** A backend/server name or socket path that cannot be sent safely. */
export class InvalidHaproxyNameError extends Error {
  constructor(
    readonly kind: string,
    readonly value: string,
    rule: string,
  ) {
    super(`Invalid HAProxy ${kind} ${shownValue(value)}: ${rule}`);
    this.name = 'InvalidHaproxyNameError';
  }
}
