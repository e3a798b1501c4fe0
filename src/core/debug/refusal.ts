/**
 * The last sentence of a debug run refused by a pre-check (before any step): what the host is left
 * with. "Nothing was changed" is true only for a container that was not in dev mode; on Resume the
 * container stays in dev mode from the earlier Develop, and the message must say so.
 */
export type LeftState = 'untouched' | 'in-dev-mode' | 'unknown';

export function leftAsItWas(container: string, left: LeftState): string {
  switch (left) {
    case 'untouched':
      return 'Nothing was changed: the service runs as before.';
    case 'in-dev-mode':
      return `Nothing more was changed: ${container} stays in dev mode from the earlier Develop (Restore Production puts production back).`;
    case 'unknown':
      return 'This run changed nothing on the host.';
  }
}
