import { createHash } from 'node:crypto';

/** OpenSSH's SHA-256 fingerprint of a host key blob, as `ssh-keygen -lf` prints it: `SHA256:` + unpadded base64. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** Compares with or without the `SHA256:` prefix and base64 padding. */
export function sameFingerprint(a: string, b: string): boolean {
  const norm = (f: string): string =>
    f
      .trim()
      .replace(/^SHA256:/, '')
      .replace(/=+$/, '');
  return norm(a) === norm(b);
}
