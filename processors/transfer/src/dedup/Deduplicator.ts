import type { CtrRecord } from '../ctr/ctrRecord';

/**
 * Decides which CTRs of one object to export. `select` only looks; nothing is remembered as exported until `commit`,
 * which the transfer calls after the file is on the SFTP server: a failed upload must leave every contact exportable.
 */
export interface Deduplicator {
  select(records: readonly CtrRecord[]): Promise<CtrRecord[]>;
  commit(): Promise<void>;
  /** Records left out so far (for the metric). */
  readonly skipped: number;
}
