import * as vscode from 'vscode';
import type { Services } from '../services';

export async function restartDevProcess(services: Services): Promise<void> {
  if (!services.devTerminals.restart()) {
    void vscode.window.showInformationMessage('No dev process to restart: focus its terminal, or run Develop this service first.');
  }
}
