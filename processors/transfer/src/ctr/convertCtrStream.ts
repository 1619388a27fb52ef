import type { Deduplicator } from '../dedup/Deduplicator';
import type { CsvLayout } from './csvLayout';
import { csvHeader, ctrToCsvRow } from './ctrToCsvRow';
import type { CtrRecord } from './ctrRecord';
import { type CtrItem, CtrStreamParser } from './CtrStreamParser';
import type { ResyncBudget } from './ResyncSearch';

export type InvalidCtr = Extract<CtrItem, { kind: 'invalid' }>;

export interface ConvertOptions {
  layout: CsvLayout;
  /** Absent: every record is exported. */
  deduplicator?: Deduplicator;
  /** Called for every record that is not a valid CTR, in input order. */
  onInvalid?: (item: InvalidCtr) => void;
  /** What finding records after broken JSON may cost in this object (default: DEFAULT_RESYNC_BUDGET). */
  resyncBudget?: ResyncBudget;
}

export interface ConversionStats {
  records: number;
  rows: number;
  invalid: number;
  /** Of `invalid`: well-formed records quarantined for bytes that are not UTF-8. */
  invalidUtf8: number;
  /** Control characters and lone surrogates replaced by U+FFFD in exported values. */
  controlCharsReplaced: number;
}

/** Records looked up per de-duplication round trip (one DynamoDB BatchGetItem). */
const DEDUP_BATCH = 100;

export const newConversionStats = (): ConversionStats => ({
  records: 0,
  rows: 0,
  invalid: 0,
  invalidUtf8: 0,
  controlCharsReplaced: 0,
});

/**
 * The streaming converter: bytes of a (decompressed) Firehose object in, UTF-8 CSV out (header first, CRLF lines).
 * Memory is bounded by one input chunk, one unfinished record and one de-duplication batch, whatever the object size.
 */
export async function* convertCtrStream(
  source: AsyncIterable<Buffer>,
  options: ConvertOptions,
  stats: ConversionStats = newConversionStats(),
): AsyncGenerator<Buffer> {
  const { layout, deduplicator, onInvalid } = options;
  const parser = new CtrStreamParser(undefined, options.resyncBudget);
  const items: CtrItem[] = [];
  let batch: CtrRecord[] = [];
  yield Buffer.from(csvHeader(layout), 'utf8');

  const rowsOf = (records: readonly CtrRecord[]): Buffer | null => {
    if (records.length === 0) return null;
    let text = '';
    for (const r of records) text += ctrToCsvRow(r, layout);
    stats.rows += records.length;
    return Buffer.from(text, 'utf8');
  };
  const take = (): void => {
    for (const item of items) {
      if (item.kind === 'record') {
        stats.records++;
        stats.controlCharsReplaced += item.replaced;
        batch.push(item.record);
      } else {
        stats.invalid++;
        if (item.invalidUtf8) stats.invalidUtf8++;
        onInvalid?.(item);
      }
    }
    items.length = 0;
  };
  const flush = async (force: boolean): Promise<Buffer | null> => {
    if (batch.length === 0 || (deduplicator && !force && batch.length < DEDUP_BATCH)) return null;
    const records = batch;
    batch = [];
    return rowsOf(deduplicator ? await deduplicator.select(records) : records);
  };

  for await (const chunk of source) {
    parser.push(chunk, items);
    take();
    const out = await flush(false);
    if (out) yield out;
  }
  parser.end(items);
  take();
  const out = await flush(true);
  if (out) yield out;
}
