import type * as vscode from 'vscode';
import type { ContainerRuntime } from '../core/runtime/types';
import type { HostRegistry } from './hosts/hostRegistry';
import type { SshHost } from '../core/ssh';
import type { DevLoop } from './devloop/devLoop';
import type { DevTerminals } from './devloop/devTerminals';
import type { InnerLoop } from './devloop/innerLoop';
import type { DebugSessions } from './debug/debugSessions';
import type { Prompter } from './wizard/prompter';
import type { HostTreeProvider } from './tree/hostTreeProvider';
import type { GerritTreeProvider } from './gerrit/gerritTreeProvider';

/** What commands need, created once in activate() and passed in: no globals. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly logger: vscode.LogOutputChannel;
  readonly registry: HostRegistry;
  readonly tree: HostTreeProvider;
  readonly runtime: ContainerRuntime;
  readonly devLoop: DevLoop;
  readonly devTerminals: DevTerminals;
  readonly innerLoop: InnerLoop;
  readonly debugSessions: DebugSessions;
  /** The Gerrit view: the workspace's project and its open changes. */
  readonly gerrit: GerritTreeProvider;
  /** How wizards ask; tests replace it with scripted answers through the extension's exports. */
  prompter: Prompter;
  /** The configured (deployment) host's connection. */
  connection(host: string): SshHost;
  /** The connection to the physical host that runs `container` (the deployment host, or a node through it). */
  containerHost(host: string, container: string): Promise<SshHost>;
  /** Checks that a new host is reachable and trusted (asks about its key on first contact). */
  probe(host: string): Promise<void>;
}
