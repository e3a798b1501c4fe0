import { createHash } from 'node:crypto';

/** `SHA256:<base64 without padding>`, exactly as `ssh-keygen -lf` and ssh print it. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type string at the start of an SSH wire-format public key blob (`ssh-ed25519`, ...). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new Error('Malformed SSH public key: too short.');
  const length = keyBlob.readUInt32BE(0);
  if (length > keyBlob.length - 4 || length > 64) throw new Error('Malformed SSH public key: bad type length.');
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}
