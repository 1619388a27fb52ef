import type { CtrRecord } from '../../transfer/src/ctr/ctrRecord';
import { compareTimestamps } from '../../transfer/src/dedup/decideExport';

/** AWS's de-duplication rule for statistics: per ContactId, only the record with the highest LastUpdateTimestamp. */
export class LatestPerContact {
  private readonly byContact = new Map<string, CtrRecord>();

  add(record: CtrRecord): void {
    const known = this.byContact.get(record.contactId);
    if (!known || compareTimestamps(record.lastUpdateTimestamp ?? '', known.lastUpdateTimestamp ?? '') >= 0)
      this.byContact.set(record.contactId, record);
  }

  records(): Iterable<CtrRecord> {
    return this.byContact.values();
  }

  get size(): number {
    return this.byContact.size;
  }
}
