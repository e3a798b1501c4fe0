import { hostname, userInfo } from 'node:os';
import * as vscode from 'vscode';
import { currentProcess } from '../../core/devloop/holderProcess';
import type { LockHolder } from '../../core/devloop/journal';

/**
 * Who holds a dev session: the user, their machine and this VS Code window, plus the extension
 * host's process (a reloaded or crashed window's lock is then taken over without asking).
 */
export function windowHolder(): LockHolder {
  const running = currentProcess();
  return {
    holder: `${userInfo().username}@${hostname()} (VS Code window ${vscode.env.sessionId.slice(0, 8)})`,
    since: new Date().toISOString(),
    ...(running ? { process: running } : {}),
  };
}
