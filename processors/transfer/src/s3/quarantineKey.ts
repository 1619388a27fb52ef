/**
 * Where the bytes of a record that is not a valid CTR go: `<prefix><source key>/<byte offset>.txt`. The offset (in the
 * decompressed object) makes the key unique and deterministic, so a retried object overwrites rather than duplicates.
 */
export const quarantineKey = (prefix: string, sourceKey: string, offset: number): string =>
  `${prefix}${sourceKey}/${String(offset).padStart(12, '0')}.txt`;
