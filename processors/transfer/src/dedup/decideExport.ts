import { createHash } from 'node:crypto';
import { type CsvLayout, LAST_UPDATE_COLUMN, LAYOUT_COLUMNS } from '../ctr/csvLayout';
import { rowOf } from '../ctr/ctrToCsvRow';
import type { CtrRecord } from '../ctr/ctrRecord';

/** What the feed remembers per contact: the version it last exported and a hash of the exported fields. */
export interface ContactVersion {
  lastUpdateTimestamp: string;
  fingerprint: string;
}

/**
 * - `new`: never exported: export.
 * - `changed`: a newer (or equal) version whose exported fields differ: export again (Teleopti receives the ContactID a
 *   second time with the corrected values; see docs/historical-feed.md).
 * - `unchanged`: same exported fields (an attribute changed, or a plain re-delivery): skip.
 * - `stale`: older than what was exported (a late re-delivery overtaken by a newer one): skip.
 */
export type ExportDecision = 'new' | 'changed' | 'unchanged' | 'stale';

export function decideExport(stored: ContactVersion | undefined, incoming: ContactVersion): ExportDecision {
  if (!stored) return 'new';
  const order = compareTimestamps(incoming.lastUpdateTimestamp, stored.lastUpdateTimestamp);
  if (order < 0) return 'stale';
  return incoming.fingerprint === stored.fingerprint ? 'unchanged' : 'changed';
}

export const shouldExport = (d: ExportDecision): boolean => d === 'new' || d === 'changed';

/** ISO-8601 instants compared as instants (second vs millisecond precision); unparseable ones as text. */
export function compareTimestamps(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return a < b ? -1 : a > b ? 1 : 0;
  return ta - tb;
}

/**
 * A hash of the fields the layout exports, minus LastUpdateTimestamp (it changes on every re-delivery, so including it
 * would defeat de-duplication in the extended layout). The layout name is part of it: switching layouts re-exports once.
 */
export function exportFingerprint(record: CtrRecord, layout: CsvLayout): string {
  const columns = LAYOUT_COLUMNS[layout].filter((c) => c.name !== LAST_UPDATE_COLUMN);
  return createHash('sha256')
    .update(layout + '\n' + rowOf(record, columns))
    .digest('base64url')
    .slice(0, 22);
}

export const versionOf = (record: CtrRecord, layout: CsvLayout): ContactVersion => ({
  lastUpdateTimestamp: record.lastUpdateTimestamp ?? '',
  fingerprint: exportFingerprint(record, layout),
});
