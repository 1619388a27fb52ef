import { createHash } from 'node:crypto';

/** `-` and 16 hex digits of SHA-256: what a shortened name carries so that different sources stay different. */
export const HASH_SUFFIX_BYTES = 17;

export const hashSuffix = (source: string): string =>
  '-' + createHash('sha256').update(source, 'utf8').digest('hex').slice(0, 16);

/** The longest prefix of `text` made of whole code points (never half a surrogate pair) within `maxBytes` of UTF-8. */
export function prefixWithinBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > maxBytes) break;
    bytes += b;
    end += ch.length;
  }
  return text.slice(0, end);
}

/** `text` as it is if it fits in `maxBytes`, else a prefix of it and the hash of `source` (deterministic). */
export function fitWithHash(text: string, maxBytes: number, source: string): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  return prefixWithinBytes(text, maxBytes - HASH_SUFFIX_BYTES) + hashSuffix(source);
}
