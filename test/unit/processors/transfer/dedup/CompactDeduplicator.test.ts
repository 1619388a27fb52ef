import type { CtrRecord } from '../../../../../processors/transfer/src/ctr/ctrRecord';
import {
  BYTES_PER_SLOT,
  CompactDeduplicator,
  isoMillis,
} from '../../../../../processors/transfer/src/dedup/CompactDeduplicator';
import { InMemoryDeduplicator } from '../../../../../processors/transfer/src/dedup/InMemoryDeduplicator';
import { SeededRandom } from '../../../../../simulator/src/SeededRandom';
import { ctrRecord } from '../../../../helpers/ctrRecords';

const instant = (rng: SeededRandom): string => {
  const day = rng.int(1, 31);
  const ms = rng.chance(0.5) ? `.${String(rng.int(0, 999)).padStart(3, '0')}` : '';
  return `2026-01-${String(day).padStart(2, '0')}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00${ms}Z`;
};

describe('CompactDeduplicator (ctr2csv)', () => {
  it.each(['standard', 'extended'] as const)(
    'makes the same decisions as the exact in-memory rules on seeded re-deliveries (%s layout)',
    async (layout) => {
      const rng = new SeededRandom(17);
      const records: CtrRecord[] = [];
      for (let i = 0; i < 3000; i++) {
        const contact = rng.int(1, 400);
        records.push(
          ctrRecord(
            {
              contactId: `contact-${contact}`,
              lastUpdateTimestamp: instant(rng),
              queueName: rng.pick(['Sales', 'Support', 'Billing']),
              username: rng.pick(['ann', 'bob', 'Åsa, "Ö"']),
              attributes: { n: String(rng.int(0, 9)) }, // not exported: a change here is a duplicate
            },
            rng.chance(0.05) ? { LastUpdateTimestamp: null } : {},
          ),
        );
      }
      const exact = new InMemoryDeduplicator(layout);
      const compact = new CompactDeduplicator(layout);
      for (let i = 0; i < records.length; i += 100) {
        const batch = records.slice(i, i + 100);
        expect((await compact.select(batch)).map((r) => r.contactId)).toEqual(
          (await exact.select(batch)).map((r) => r.contactId),
        );
      }
      expect(compact.skipped).toBe(exact.skipped);
      expect(compact.skipped).toBeGreaterThan(1000);
    },
  );

  it('holds a fixed number of bytes per contact, whatever the contacts', async () => {
    const dedup = new CompactDeduplicator('standard');
    const template = ctrRecord({ contactId: 'x' });
    for (let i = 0; i < 20_000; i += 1000)
      await dedup.select(
        Array.from(
          { length: 1000 },
          (_, j) => Object.assign(Object.create(null) as object, template, { contactId: `c-${i + j}` }) as CtrRecord,
        ),
      );
    expect(dedup.contacts).toBe(20_000);
    // Half full at most after growing, never less than a quarter: 2 to 4 slots per contact.
    expect(dedup.tableBytes / dedup.contacts).toBeLessThanOrEqual(4 * BYTES_PER_SLOT);
  });

  it('reads Connect instants exactly as Date.parse does', () => {
    const rng = new SeededRandom(3);
    const samples = Array.from({ length: 2000 }, () => instant(rng));
    samples.push('2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', '2026-01-05T10:00:00.5Z', 'not a date', '');
    for (const s of samples) expect([s, isoMillis(s)]).toEqual([s, Date.parse(s)]);
  });
});
