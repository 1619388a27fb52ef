import { decodeAgentEvent } from '../../../consumer/src/domain/decodeAgentEvent';
import { type CtrItem, CtrStreamParser } from '../../../processors/transfer/src/ctr/CtrStreamParser';
import { DEFAULT_RESYNC_BUDGET } from '../../../processors/transfer/src/ctr/ResyncSearch';
import { SeededRandom } from '../../../simulator/src/SeededRandom';
import { agentArn, agentEvent, STATUSES } from '../../helpers/agentEvents';
import { ctrFactory } from '../../helpers/ctrFactory';

/**
 * Bounded fuzzing of the two parsers that read outside input: generated and mutated inputs, fixed seeds (a failure
 * names its seed and reproduces exactly). Properties: never throws, work is linear in the input, and the valid
 * records around garbage are still read. A few seconds in all; the seeds' count bounds it, not the clock.
 */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const SPECIAL = [0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x5c, 0x3a, 0x2c, 0x00, 0x0a, 0xff, 0xc3, 0xed, 0x80, 0x30, 0x2d];

/** 1–4 random edits: flip, insert, delete, duplicate a range, truncate. */
function mutate(bytes: Buffer, rng: SeededRandom): Buffer {
  let b = Buffer.from(bytes);
  for (let k = rng.int(1, 4); k > 0 && b.length > 0; k--) {
    const at = rng.int(0, b.length - 1);
    const byte = rng.chance(0.7) ? rng.pick(SPECIAL) : rng.int(0, 255);
    switch (rng.int(0, 4)) {
      case 0:
        b[at] = byte;
        break;
      case 1:
        b = Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + rng.int(1, 40)))]);
        break;
      case 3: {
        const end = Math.min(b.length, at + rng.int(1, 200));
        b = Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
        break;
      }
      default:
        b = b.subarray(0, at);
    }
  }
  return b;
}

/** Text that is not a CTR: junk, broken JSON, valid non-CTR JSON, deep or unbalanced nesting. */
function garbage(rng: SeededRandom): Buffer {
  switch (rng.int(0, 5)) {
    case 0:
      return Buffer.from(Array.from({ length: rng.int(1, 300) }, () => rng.pick([0x61, 0x20, 0x3b, 0x7d, 0x5d, 0xff])));
    case 1:
      return Buffer.from('{"a":' + '['.repeat(rng.int(1, 200)));
    case 2:
      return Buffer.from('{"a":[' + '{"a":1,"b":['.repeat(rng.int(1, 2000)));
    case 3:
      return Buffer.from(JSON.stringify({ not: 'a ctr', n: rng.int(0, 1e6), nested: { x: [1, 2, { y: null }] } }));
    case 4:
      return Buffer.from('{"ContactId":"cut-' + rng.int(0, 1e6) + '","Agent":{"ARN":"arn:x","Username":"a');
    default:
      return Buffer.from('{"x":"' + '{"x":"'.repeat(rng.int(1, 500)));
  }
}

interface Stream {
  bytes: Buffer;
  /** Contact ids of the untouched records, in order: they must all come out. */
  expected: string[];
}

/** `records` CTRs with mutated records and garbage between them (a third of the pieces). */
function ctrStream(rng: SeededRandom, records: number): Stream {
  const parts: Buffer[] = [];
  const expected: string[] = [];
  for (let i = 0; i < records; i++) {
    if (rng.chance(0.25)) parts.push(garbage(rng));
    if (rng.chance(0.1)) parts.push(mutate(Buffer.from(JSON.stringify(ctrFactory({ contactId: `mut-${i}` }))), rng));
    const id = `ok-${i}`;
    expected.push(id);
    parts.push(Buffer.from(JSON.stringify(ctrFactory({ contactId: id })) + (rng.chance(0.3) ? '\n' : '')));
  }
  return { bytes: Buffer.concat(parts), expected };
}

function scan(bytes: Buffer, rng: SeededRandom): { items: CtrItem[]; work: number } {
  // The work budget is deterministic; the time budget (a safety net) would make results depend on the machine's load.
  const parser = new CtrStreamParser(undefined, { ...DEFAULT_RESYNC_BUDGET, maxMillis: 600_000 });
  const items: CtrItem[] = [];
  for (let i = 0; i < bytes.length;) {
    const size = rng.chance(0.2) ? rng.int(1, 64) : rng.int(1024, 96 * 1024);
    parser.push(bytes.subarray(i, i + size), items);
    i += size;
  }
  parser.end(items);
  return { items, work: parser.resync.work + bytes.length };
}

describe('fuzz: the CTR scanner', () => {
  it.each(SEEDS)(
    'seed %i: never throws, keeps every untouched record around the garbage, accounts for bytes',
    (seed) => {
      const rng = new SeededRandom(seed);
      const { bytes, expected } = ctrStream(rng, 120);
      const { items } = scan(bytes, rng);
      const ids = items.flatMap((i) =>
        i.kind === 'record' && i.record.contactId.startsWith('ok-') ? [i.record.contactId] : [],
      );
      expect(ids).toEqual(expected);
      let last = -1;
      for (const item of items) {
        expect(item.offset).toBeGreaterThan(last);
        last = item.offset;
        if (item.kind === 'invalid')
          expect(item.text.equals(bytes.subarray(item.offset, item.offset + item.text.length))).toBe(true);
      }
    },
  );

  it.each(SEEDS)('seed %i: mutated whole streams never throw', (seed) => {
    const rng = new SeededRandom(seed * 7919);
    for (let round = 0; round < 20; round++) {
      const { bytes } = ctrStream(rng, 8);
      expect(() => scan(mutate(bytes, rng), rng)).not.toThrow();
    }
  });

  it('does linear work: 4x the input (same mix of records and garbage) costs at most 4.5x', () => {
    const work = (records: number): number => {
      const rng = new SeededRandom(42);
      const { bytes } = ctrStream(rng, records);
      return scan(bytes, rng).work;
    };
    const ratios = [100, 200].map((n) => work(4 * n) / work(n));
    for (const r of ratios) expect(r).toBeLessThan(4.5);
  });
});

describe('fuzz: decodeAgentEvent', () => {
  const event = (rng: SeededRandom, contacts = 0): Record<string, unknown> => {
    const e = agentEvent({ agent: rng.int(1, 5000), status: rng.pick(STATUSES), at: 1_767_000_000_000 });
    (e.CurrentAgentSnapshot as { Contacts: unknown[] }).Contacts = Array.from({ length: contacts }, (_, i) => ({
      ContactId: `c-${i}`,
      Channel: 'VOICE',
      State: 'CONNECTED',
    }));
    return e;
  };

  it.each(SEEDS)('seed %i: valid events decode, mutated ones (bytes, base64, text) never throw', (seed) => {
    const rng = new SeededRandom(seed);
    for (let i = 0; i < 150; i++) {
      const e = event(rng, rng.int(0, 3));
      const raw = Buffer.from(JSON.stringify(e));
      const good = decodeAgentEvent(raw);
      expect(good).toMatchObject({ ok: true, event: { AgentARN: e.AgentARN } });
      expect(decodeAgentEvent(raw.toString('base64'))).toMatchObject({ ok: true });
      const bad = mutate(raw, rng);
      for (const input of [bad, bad.toString('base64'), bad.toString('latin1')]) {
        const r = decodeAgentEvent(input, typeof input === 'string' && input === bad.toString('base64'));
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.reason).toEqual(expect.any(String));
        else expect(typeof r.eventTimeMillis).toBe('number');
      }
    }
    expect(decodeAgentEvent(Buffer.from(JSON.stringify(event(rng))))).toMatchObject({ ok: true });
    expect(agentArn(1)).toContain('/agent/');
  });

  it('does linear work: an event 4x larger costs far less than 16x the CPU (generous ratio, best of three)', () => {
    const rng = new SeededRandom(9);
    const cpu = (contacts: number): number => {
      const raw = Buffer.from(JSON.stringify(event(rng, contacts)));
      let best = Infinity;
      for (let round = 0; round < 3; round++) {
        const before = process.cpuUsage();
        for (let i = 0; i < 20; i++) decodeAgentEvent(raw);
        const used = process.cpuUsage(before);
        best = Math.min(best, used.user + used.system);
      }
      return best;
    };
    expect(cpu(40_000) / cpu(10_000)).toBeLessThan(10);
  });
});
