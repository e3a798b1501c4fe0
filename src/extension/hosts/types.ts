/** A host as configured in `osaDev.hosts`. */
export interface HostEntry {
  /** An alias from the SSH config, or user@address:port. Unique key of the host. */
  readonly host: string;
  readonly label: string;
}
