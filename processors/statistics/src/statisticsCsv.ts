import { csvField, CRLF } from '../../transfer/src/ctr/csvField';

/** Rows of a statistics table as RFC 4180 CSV, columns in the given order; null is an empty cell. */
export function statisticsCsv<R extends object>(columns: readonly (keyof R & string)[], rows: readonly R[]): string {
  let out = columns.join(',') + CRLF;
  for (const r of rows) out += columns.map((c) => csvField(r[c] as string | number | null)).join(',') + CRLF;
  return out;
}
