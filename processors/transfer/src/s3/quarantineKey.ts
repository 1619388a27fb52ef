import { fitWithHash } from './fitBytes';

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_S3_KEY_BYTES = 1024;

/**
 * Where the bytes of a record that is not a valid CTR go: `<prefix><source key>/<byte offset>.txt`. The offset (in the
 * decompressed object) makes the key unique and deterministic, so a retried object overwrites rather than duplicates.
 * A source key too long to fit is cut (on a code point) and given its hash, deterministically; the object's `source`
 * metadata and the log line keep the original.
 */
export function quarantineKey(prefix: string, sourceKey: string, offset: number): string {
  const tail = `/${String(offset).padStart(12, '0')}.txt`;
  const room = MAX_S3_KEY_BYTES - Buffer.byteLength(prefix + tail, 'utf8');
  return prefix + fitWithHash(sourceKey, room, sourceKey) + tail;
}
