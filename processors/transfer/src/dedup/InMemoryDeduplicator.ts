import type { CsvLayout } from '../ctr/csvLayout';
import type { CtrRecord } from '../ctr/ctrRecord';
import { type ContactVersion, decideExport, shouldExport, versionOf } from './decideExport';
import type { Deduplicator } from './Deduplicator';

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
