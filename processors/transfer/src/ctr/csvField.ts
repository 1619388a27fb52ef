import type { CellValue } from './csvLayout';

const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: quoted only when it contains a quote, comma, CR or LF; quotes doubled; null/undefined empty. */
export function csvField(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 line break. */
export const CRLF = '\r\n';
