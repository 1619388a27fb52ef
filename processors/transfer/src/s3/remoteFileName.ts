/**
 * The file name on the SFTP server (the prior-art contract, amazon-connect-formats.md §4.5): the S3 basename with `:`
 * replaced by `_`; a converted CTR object gets `.csv` appended (after dropping a `.gz` Firehose added). Control
 * characters and backslashes, which some SFTP servers and Windows importers reject, also become `_`.
 */
export function remoteFileName(key: string, kind: 'report' | 'ctr'): string {
  // eslint-disable-next-line no-control-regex
  const base = (key.slice(key.lastIndexOf('/') + 1) || 'object').replace(/[:\\\u0000-\u001f\u007f]/g, '_');
  return kind === 'report' ? base : base.replace(/\.gz$/i, '') + '.csv';
}

/** Amazon Connect's scheduled reports are the `.csv` objects; everything else in the bucket is a Firehose CTR object. */
export const objectKind = (key: string): 'report' | 'ctr' => (/\.csv$/i.test(key) ? 'report' : 'ctr');
