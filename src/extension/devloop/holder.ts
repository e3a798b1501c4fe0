import { hostname, userInfo } from 'node:os';
import * as vscode from 'vscode';
import type { LockHolder } from '../../core/devloop/journal';

/** Who holds a dev session: the user, their machine and this VS Code window. */
export function windowHolder(): LockHolder {
  return {
    holder: `${userInfo().username}@${hostname()} (VS Code window ${vscode.env.sessionId.slice(0, 8)})`,
    since: new Date().toISOString(),
  };
}
