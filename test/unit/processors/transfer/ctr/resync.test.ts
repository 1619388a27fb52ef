import { type CtrItem, CtrStreamParser } from '../../../../../processors/transfer/src/ctr/CtrStreamParser';
import { DEFAULT_RESYNC_BUDGET } from '../../../../../processors/transfer/src/ctr/ResyncSearch';
import { concatenated, ctrFactory } from '../../../../helpers/ctrFactory';
import { generatedCtr } from '../../../../helpers/ctrGenerator';

/** An unbalanced object whose every `{` starts a parse that runs deep before failing: the reviewer's crafted input. */
const crafted = (n: number): string => '{"a":[' + '{"a":1,"b":['.repeat(n);

function parse(text: string, parser = new CtrStreamParser()): { items: CtrItem[]; cpuMicros: number } {
  const buf = Buffer.from(text);
  const items: CtrItem[] = [];
  const before = process.cpuUsage();
  for (let i = 0; i < buf.length; i += 65536) parser.push(buf.subarray(i, i + 65536), items);
  parser.end(items);
  const used = process.cpuUsage(before);
  return { items, cpuMicros: used.user + used.system };
}

describe('CTR resync after broken JSON', () => {
  it('costs bounded work on a crafted 1 MB unbalanced object: within 1000x a normal byte (it was over 2000x)', () => {
    // CPU time of this process per byte, normal CTRs against the crafted object: a ratio, so load cannot decide it.
    let normal = '';
    for (let i = 0; normal.length < 4_000_000; i++) normal += JSON.stringify(generatedCtr(i));
    const perByte = (text: string): number => parse(text).cpuMicros / Buffer.byteLength(text);
    const normalPerByte = Math.min(perByte(normal), perByte(normal));
    const parser = new CtrStreamParser();
    const craftedPerByte = parse(crafted(90_000), parser).cpuMicros / Buffer.byteLength(crafted(90_000));
    expect(craftedPerByte / normalPerByte).toBeLessThan(1000);
  });

  it('costs linear work: 4x the crafted input, at most 4.5x the bytes read, within the budget', () => {
    const work = (n: number): number => {
      const parser = new CtrStreamParser(undefined, { ...DEFAULT_RESYNC_BUDGET, maxMillis: 600_000 }); // work, not time
      parse(crafted(n), parser);
      return parser.resync.work;
    };
    const large = work(360_000);
    // The budget (1 MiB + 16 per input byte), then the coarse search (a few reads per byte).
    expect(large).toBeLessThanOrEqual((1 << 20) + 20 * Buffer.byteLength(crafted(360_000)));
    expect(large / work(90_000)).toBeLessThan(4.5);
  });

  it('keeps the records around ordinary garbage, cutting it at the next record', () => {
    const text =
      concatenated([ctrFactory({ contactId: 'before' })]) +
      '{"ContactId":"cut-off","Agent":{"ARN":"arn:x","Username":"a' + // a record truncated by a bad write
      concatenated([ctrFactory({ contactId: 'after' })]) +
      '{"a":[{"b":1},{"c":[' +
      concatenated([ctrFactory({ contactId: 'last' })]);
    const { items } = parse(text);
    expect(items.map((i) => (i.kind === 'record' ? i.record.contactId : 'invalid'))).toEqual([
      'before',
      'invalid',
      'after',
      'invalid',
      'last',
    ]);
  });

  it('turns coarse when the per-object budget is spent, says so in the quarantined item, and loses no byte', () => {
    const parser = new CtrStreamParser(undefined, { workPerInputByte: 1, baseBytes: 0, maxMillis: 60_000 });
    const text =
      concatenated([ctrFactory({ contactId: 'first' })]) +
      crafted(5_000) +
      concatenated([ctrFactory({ contactId: 'after' })]) +
      crafted(5_000);
    const { items } = parse(text, parser);
    expect(parser.resync.exhausted).toBe(true);
    expect(parser.resync.work).toBeLessThan(2 * Buffer.byteLength(text) + 1_000_000);
    expect(items[0]).toMatchObject({ kind: 'record', record: { contactId: 'first' } });
    // Coarse: a record swallowed by the broken text around it may be quarantined with it, never lost.
    const records = items.flatMap((i) => (i.kind === 'record' ? [i.record.contactId] : []));
    const quarantined = Buffer.concat(items.flatMap((i) => (i.kind === 'invalid' ? [i.text] : [])));
    expect(records.includes('after') || quarantined.includes('"ContactId":"after"')).toBe(true);
    const invalid = items.filter((i) => i.kind === 'invalid');
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.some((i) => i.kind === 'invalid' && /resync budget exhausted/.test(i.reason))).toBe(true);
  });
});
