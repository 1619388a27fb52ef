import { csvField, CRLF } from './csvField';
import { type CsvColumn, type CsvLayout, LAYOUT_COLUMNS } from './csvLayout';
import type { CtrRecord } from './ctrRecord';

/** One CSV line (with its CRLF) for a CTR. Pure. */
export function ctrToCsvRow(record: CtrRecord, layout: CsvLayout): string {
  return rowOf(record, LAYOUT_COLUMNS[layout]) + CRLF;
}

/** The header line (with its CRLF). */
export function csvHeader(layout: CsvLayout): string {
  return LAYOUT_COLUMNS[layout].map((c) => c.name).join(',') + CRLF;
}

export function rowOf(record: CtrRecord, columns: readonly CsvColumn[]): string {
  let line = csvField(columns[0]!.value(record));
  for (let i = 1; i < columns.length; i++) line += ',' + csvField(columns[i]!.value(record));
  return line;
}
