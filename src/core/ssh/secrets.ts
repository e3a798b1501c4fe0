/** Where key passphrases come from; the extension backs it with VS Code SecretStorage. */
export interface SecretProvider {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  /** Prompts the user; undefined when they cancel. */
  ask(prompt: string): Promise<string | undefined>;
}

/** The secret-store key for the passphrase of one private key file. */
export function passphraseSecretKey(keyPath: string): string {
  return `ssh-passphrase:${keyPath}`;
}
