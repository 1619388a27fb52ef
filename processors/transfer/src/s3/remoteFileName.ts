import { fitWithHash, hashSuffix } from './fitBytes';

/** Most servers' file-name limit (NAME_MAX), in bytes; the `.part` written first must fit too. */
const NAME_MAX_BYTES = 255;
const PART_SUFFIX = '.part';

/**
 * The file name on the SFTP server (the prior-art contract, docs/reference/connect-formats.md#csv-contract): the S3
 * basename with `:` replaced by `_`; a converted CTR object gets `.csv` appended (after dropping a `.gz` Firehose
 * added). Control characters and backslashes, which some SFTP servers and Windows importers reject, also become `_`. A
 * name that would be hidden (leading dot) gets `_` instead of the dot; an empty one becomes `object` plus the key's
 * hash; one too long for NAME_MAX (with `.part`) keeps its start, cut on a code point, plus the key's hash
 * (docs/historical-feed.md).
 */
export function remoteFileName(key: string, kind: 'report' | 'ctr'): string {
  return remoteFileNameOf(key, kind).name;
}

/** The name, and whether it had to be made up or shortened (the transfer then logs the original key with it). */
export function remoteFileNameOf(key: string, kind: 'report' | 'ctr'): { name: string; altered: boolean } {
  // eslint-disable-next-line no-control-regex
  let stem = key.slice(key.lastIndexOf('/') + 1).replace(/[:\\\u0000-\u001f\u007f]/g, '_');
  let ext = '.csv';
  if (kind === 'ctr') stem = stem.replace(/\.gz$/i, '');
  else if (/\.csv$/i.test(stem)) {
    ext = stem.slice(-4);
    stem = stem.slice(0, -4);
  } else ext = '';
  if (stem === '') return { name: `object${hashSuffix(key)}${ext}`, altered: true };
  const visible = stem.replace(/^\./, '_');
  const room = NAME_MAX_BYTES - PART_SUFFIX.length - Buffer.byteLength(ext, 'utf8');
  const name = fitWithHash(visible, room, key);
  return { name: name + ext, altered: name !== stem };
}

/** Amazon Connect's scheduled reports are the `.csv` objects; everything else in the bucket is a Firehose CTR object. */
export const objectKind = (key: string): 'report' | 'ctr' => (/\.csv$/i.test(key) ? 'report' : 'ctr');
