import { InvalidHostSpecError } from './errors';
import { shownValue } from '../text/shownValue';

/** What the user typed: `alias`, `address`, `user@address:port`, `[v6addr]:port`. */
export interface HostSpec {
  /** An ~/.ssh/config alias or an address; config lookup uses this. */
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
}

const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9._-]+)?$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const SHELL_META = /[\s;&|`$(){}<>*?!"'\\#~]/;

export function parsePort(text: string, what = 'port'): number {
  if (!/^\d{1,5}$/.test(text)) {
    throw new InvalidHostSpecError(`Invalid ${what} ${shownValue(text)}: expected a number from 1 to 65535.`);
  }
  const port = Number(text);
  if (port < 1 || port > 65535) {
    throw new InvalidHostSpecError(`Invalid ${what} ${port}: expected a number from 1 to 65535.`);
  }
  return port;
}

export function validateHostName(host: string, original: string): string {
  if (host === '') {
    throw new InvalidHostSpecError(`Host ${shownValue(original)} has an empty host name.`);
  }
  if (!HOST_NAME.test(host) && !(host.includes(':') && IPV6.test(host))) {
    throw new InvalidHostSpecError(
      `Host name ${shownValue(host)} in ${shownValue(original)} is not a valid host name or IP address (letters, digits, "." "-" "_" only).`,
    );
  }
  return host;
}

export function parseHostSpec(spec: string): HostSpec {
  const text = spec.trim();
  if (text === '') {
    throw new InvalidHostSpecError('The host is empty: enter an ~/.ssh/config alias or user@address[:port].');
  }
  if (SHELL_META.test(text)) {
    throw new InvalidHostSpecError(
      `${shownValue(spec)} contains spaces or shell metacharacters; enter an ~/.ssh/config alias or user@address[:port].`,
    );
  }
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  if (user !== undefined && !USER.test(user)) {
    throw new InvalidHostSpecError(`Invalid user name ${shownValue(user)} in ${shownValue(spec)}.`);
  }
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) {
      throw new InvalidHostSpecError(`Missing "]" in ${shownValue(spec)}: write IPv6 addresses as [addr]:port.`);
    }
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) {
        throw new InvalidHostSpecError(`Unexpected ${shownValue(after)} after "]" in ${shownValue(spec)}.`);
      }
      portText = after.slice(1);
    }
  } else if ((rest.match(/:/g) ?? []).length >= 2) {
    host = rest; // a bare IPv6 address cannot carry a port
  } else {
    const colon = rest.indexOf(':');
    host = colon >= 0 ? rest.slice(0, colon) : rest;
    portText = colon >= 0 ? rest.slice(colon + 1) : undefined;
  }
  validateHostName(host, spec);
  const port = portText === undefined ? undefined : parsePort(portText);
  return { host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

/** The `user@host:port` form people recognise, with brackets for IPv6. */
export function formatDestination(user: string, host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === 22 ? `${user}@${h}` : `${user}@${h}:${port}`;
}
