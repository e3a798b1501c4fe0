/**
 * The kinds of fault the matrix injects, what each does to the lab host, and what the interrupted
 * Develop or Restore may end with. What a user expects after each is written next to it.
 */
import { HEAT_CONTAINER } from '../support/heatOnLab';
import { cutSshConnections, fillJournalDisk, reloadHaproxy, restartSshd, stopContainer } from '../support/labFaults';
import type { Timing } from './faultPoint';

export type FaultKind = 'ssh-cut' | 'sshd-restart' | 'engine-killed' | 'cancel' | 'container-stopped' | 'haproxy-reload' | 'disk-full';

export const FAULT_KINDS: readonly FaultKind[] = ['ssh-cut', 'sshd-restart', 'engine-killed', 'cancel', 'container-stopped', 'haproxy-reload', 'disk-full'];

export interface KindSpec {
  readonly timing: Timing;
  /**
   * The interrupted run either completes or fails with this (a clear message, never a raw one).
   * `engine-killed` has no outcome: the process is gone.
   */
  readonly interrupted: RegExp;
  /** The fault itself, done to the lab from the side. `cancel` aborts instead (see the test). */
  readonly inject?: () => Promise<unknown>;
}

export const KINDS: Record<FaultKind, KindSpec> = {
  // The TCP connection closed by the lab: the run fails with "connection lost"; the next command
  // dials afresh (a reloaded window does the same).
  'ssh-cut': { timing: 'during', interrupted: /connection|lost|closed|ECONNRESET/i, inject: cutSshConnections },
  // `systemctl restart ssh`: open sessions survive, so the run goes on; new connections reach the new sshd.
  'sshd-restart': { timing: 'during', interrupted: /connection|lost|closed/i, inject: restartSshd },
  // The extension host (here: a process running the engine) SIGKILLed: its lock names it; Resume
  // and Restore from another window take over.
  'engine-killed': { timing: 'during', interrupted: /$^/ },
  // The user cancels: the run stops at the next step boundary. A Restore finishes the undo it is
  // in and stops before the next, the rest journaled for the next Restore (checked in the test).
  cancel: { timing: 'before', interrupted: /Cancelled|Restore cancelled before/ },
  // lxc-stop underneath: the run says the container is not running and how to start it; OSA Dev
  // does not start it (the operator's call). Resume and Restore say the same until it is started;
  // then Resume completes and Restore returns the host to the snapshot.
  'container-stopped': { timing: 'before', interrupted: /is stopped, not running\. Start it on the host \(lxc-start -n /, inject: () => stopContainer(HEAT_CONTAINER) },
  // `systemctl reload haproxy` (no state dump): isolation already persisted to the server-state-file
  // survives; one not yet persisted is re-applied by Resume; Restore verifies the states it set.
  'haproxy-reload': { timing: 'before', interrupted: /HAProxy|haproxy|socket|admin state/, inject: reloadHaproxy },
  // The journal's disk full: the step it guards does not run ("Nothing was changed"), or, when the
  // "done" record fails, Resume re-applies the step from its recorded original.
  'disk-full': { timing: 'before', interrupted: /Could not write the dev-mode journal .*No space left on device/s, inject: fillJournalDisk },
};
