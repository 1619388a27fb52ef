import type { CsvLayout } from '../ctr/csvLayout';
import type { CtrRecord } from '../ctr/ctrRecord';
import { type ContactVersion, decideExport, shouldExport, versionOf } from './decideExport';

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

/** Exports everything (`ctr2csv --keep-duplicates`, the benchmark). */
export class NoDeduplication implements Deduplicator {
  readonly skipped = 0;
  async select(records: readonly CtrRecord[]): Promise<CtrRecord[]> {
    return [...records];
  }
  async commit(): Promise<void> {}
}

/**
 * The same rules as the DynamoDB store, in memory: for one file (`ctr2csv`) and as the within-object layer of the
 * DynamoDB deduplicator (a contact may appear twice in one Firehose object).
 */
export class InMemoryDeduplicator implements Deduplicator {
  skipped = 0;
  private readonly versions = new Map<string, ContactVersion>();

  constructor(private readonly layout: CsvLayout) {}

  async select(records: readonly CtrRecord[]): Promise<CtrRecord[]> {
    return this.selectSync(records);
  }

  selectSync(records: readonly CtrRecord[], stored?: (contactId: string) => ContactVersion | undefined): CtrRecord[] {
    const kept: CtrRecord[] = [];
    for (const r of records) {
      const incoming = versionOf(r, this.layout);
      const known = this.versions.get(r.contactId) ?? stored?.(r.contactId);
      if (shouldExport(decideExport(known, incoming))) {
        this.versions.set(r.contactId, incoming);
        kept.push(r);
      } else this.skipped++;
    }
    return kept;
  }

  /** The versions chosen for export in this run (what a persistent store must write on commit). */
  exported(): ReadonlyMap<string, ContactVersion> {
    return this.versions;
  }

  async commit(): Promise<void> {}
}
