export * from './errors';
export { parseHostSpec, formatDestination, type HostSpec } from './hostSpec';
export { resolveHost, type ResolvedHost, type LocalEnvironment, type StrictHostKeyChecking } from './resolveHost';
export { parseKnownHosts, checkKnownHost, formatKnownHostsLine, knownHostsName, type KnownHostEntry, type KnownHostVerdict } from './knownHosts';
export { sha256Fingerprint, keyTypeOfBlob } from './fingerprint';
export { HostKeyVerifier, type AskTrust, type TrustQuestion, type HostKeyPolicy } from './hostKeyVerifier';
export { passphraseSecretKey, type SecretProvider } from './secrets';
export { SshHost, type SshHostOptions, type WriteFileOptions } from './sshHost';
export type { PtySession, PtyExit, Subscription } from './ptySession';
