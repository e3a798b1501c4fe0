import * as vscode from 'vscode';
import type { Services } from '../services';
import { ContainerNode } from '../tree/containerNode';

export async function copyIp(_services: Services, node?: unknown): Promise<void> {
  if (!(node instanceof ContainerNode)) return;
  const ip = node.primaryIp;
  if (!ip) {
    void vscode.window.showWarningMessage(`${node.container.name} has no IPv4 address (is it running?).`);
    return;
  }
  await vscode.env.clipboard.writeText(ip);
  vscode.window.setStatusBarMessage(`Copied ${ip}`, 3000);
}
