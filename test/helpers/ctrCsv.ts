import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  convertCtrStream,
  type InvalidCtr,
  newConversionStats,
} from '../../processors/transfer/src/ctr/convertCtrStream';
import type { CsvLayout } from '../../processors/transfer/src/ctr/csvLayout';
import type { Deduplicator } from '../../processors/transfer/src/dedup/Deduplicator';
import { decompressIfGzip } from '../../processors/transfer/src/s3/decompressIfGzip';

/** Runs the streaming converter over bytes cut into `chunkSize` pieces (1 exercises every chunk boundary). */
export async function convertBytes(
  input: Buffer | string,
  options: { layout?: CsvLayout; chunkSize?: number; deduplicator?: Deduplicator } = {},
): Promise<{ csv: string; invalid: InvalidCtr[]; stats: ReturnType<typeof newConversionStats> }> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const size = options.chunkSize ?? 65536;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const invalid: InvalidCtr[] = [];
  const stats = newConversionStats();
  const out: Buffer[] = [];
  const source = decompressIfGzip(Readable.from(chunks, { objectMode: true }));
  for await (const b of convertCtrStream(
    source,
    { layout: options.layout ?? 'standard', deduplicator: options.deduplicator, onInvalid: (i) => invalid.push(i) },
    stats,
  ))
    out.push(b);
  return { csv: Buffer.concat(out).toString('utf8'), invalid, stats };
}

export const gzip = (text: string): Buffer => gzipSync(Buffer.from(text, 'utf8'));

/** A strict RFC 4180 reader for assertions: rows of fields, CRLF line ends, quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`expected , or CRLF at ${i}`);
  }
  if (row.length > 0) throw new Error('last line has no CRLF');
  return rows;
}
