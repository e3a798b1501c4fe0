/** Errors of the podman/docker runtimes: each names what was expected so the UI can show it as is. */
import { clipText } from '../../text/shownValue';

/** `podman ps` / `docker ps` printed something that is not the JSON we asked for. */
export class OciOutputError extends Error {
  constructor(message: string) {
    super(clipText(message, 1000));
    this.name = 'OciOutputError';
  }
}

/** The runtime's CLI is not installed (or not on PATH) on the host. */
export class OciCliNotFoundError extends Error {
  constructor(
    readonly cli: string,
    readonly host: string,
  ) {
    super(`${cli} not found on ${host}: is this a Kolla-Ansible host with ${cli} containers?`);
    this.name = 'OciCliNotFoundError';
  }
}
