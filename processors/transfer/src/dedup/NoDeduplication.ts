import type { CtrRecord } from '../ctr/ctrRecord';
import type { Deduplicator } from './Deduplicator';

/** Exports everything (`ctr2csv --keep-duplicates`, the benchmark). */
export class NoDeduplication implements Deduplicator {
  readonly skipped = 0;
  async select(records: readonly CtrRecord[]): Promise<CtrRecord[]> {
    return [...records];
  }
  async commit(): Promise<void> {}
}
