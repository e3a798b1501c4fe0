import type { ContainerState } from '../types';

// podman: created, configured, running, paused, stopping, stopped, exited, removing;
// docker: created, restarting, running, removing, paused, exited, dead.
const STATES: Readonly<Record<string, ContainerState>> = {
  running: 'running',
  paused: 'frozen',
  created: 'stopped',
  configured: 'stopped',
  stopped: 'stopped',
  exited: 'stopped',
  dead: 'stopped',
  restarting: 'starting',
  stopping: 'stopping',
  removing: 'stopping',
};

export function mapOciState(value: string): ContainerState {
  return STATES[value.trim().toLowerCase()] ?? 'unknown';
}
