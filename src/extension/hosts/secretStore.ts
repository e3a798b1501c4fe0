import * as vscode from 'vscode';
import type { SecretProvider } from '../../core/ssh';

/** Key passphrases live in VS Code's SecretStorage (the OS keychain), never in settings or logs. */
export class SecretStore implements SecretProvider {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.storage.get(`osaDev.${key}`));
  }

  store(key: string, value: string): Promise<void> {
    return Promise.resolve(this.storage.store(`osaDev.${key}`, value));
  }

  ask(prompt: string): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showInputBox({ title: 'OSA Dev', prompt, password: true, ignoreFocusOut: true }));
  }
}
