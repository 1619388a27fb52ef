import { tagValue } from '../../../../../processors/transfer/src/s3/S3ObjectStore';
import { quarantineKey } from '../../../../../processors/transfer/src/s3/quarantineKey';
import { objectKind, remoteFileName } from '../../../../../processors/transfer/src/s3/remoteFileName';

describe('remoteFileName', () => {
  it('keeps a report name (colons become underscores) and gives converted CTR objects .csv', () => {
    expect(remoteFileName('connect/i/Reports/TeleoptiAgentPerformance 2026-01-05T10:15:00Z.csv', 'report')).toBe(
      'TeleoptiAgentPerformance 2026-01-05T10_15_00Z.csv',
    );
    expect(remoteFileName('2026/01/05/10/wfm-ctr-1-2026-01-05-10-00-00-uuid', 'ctr')).toBe(
      'wfm-ctr-1-2026-01-05-10-00-00-uuid.csv',
    );
    expect(remoteFileName('2026/01/05/10/wfm-ctr-1-uuid.gz', 'ctr')).toBe('wfm-ctr-1-uuid.csv');
    expect(remoteFileName('x/a\\b\u0001c', 'ctr')).toBe('a_b_c.csv');
  });

  it('shortens a name too long for the server (NAME_MAX 255 bytes with .part) deterministically, with a hash suffix', () => {
    const long = (tail: string) => `2026/01/05/${'n'.repeat(300)}${tail}`;
    const a = remoteFileName(long('-a.gz'), 'ctr');
    expect(Buffer.byteLength(a + '.part')).toBeLessThanOrEqual(255);
    expect(a).toMatch(/^n+-[0-9a-f]{16}\.csv$/);
    expect(remoteFileName(long('-a.gz'), 'ctr')).toBe(a);
    expect(remoteFileName(long('-b.gz'), 'ctr')).not.toBe(a);
    // Multi-byte names are cut on code points (never half a character), reports keep their extension.
    const report = remoteFileName(`r/${'Å東😀'.repeat(40)}.csv`, 'report');
    expect(Buffer.byteLength(report + '.part')).toBeLessThanOrEqual(255);
    expect(report).toMatch(/^(Å東😀)+[Å東]*-[0-9a-f]{16}\.csv$/u);
    expect(report).not.toContain('\ufffd');
    // 246 bytes fit as they are.
    expect(remoteFileName(`x/${'m'.repeat(246)}`, 'ctr')).toBe('m'.repeat(246) + '.csv');
  });

  it('never makes a hidden or empty name', () => {
    const gz = remoteFileName('ctr/.gz', 'ctr');
    expect(gz).toMatch(/^object-[0-9a-f]{16}\.csv$/);
    expect(remoteFileName('other/.gz', 'ctr')).not.toBe(gz);
    expect(remoteFileName('ctr/', 'ctr')).toMatch(/^object-[0-9a-f]{16}\.csv$/);
    expect(remoteFileName('ctr/.hidden', 'ctr')).toBe('_hidden.csv');
    expect(remoteFileName('r/..csv', 'report')).toBe('_.csv');
  });

  it('tells reports (.csv, any case) from Firehose objects', () => {
    expect([objectKind('r/x.CSV'), objectKind('r/x.csv.gz'), objectKind('2026/01/obj')]).toEqual([
      'report',
      'ctr',
      'ctr',
    ]);
  });

  it('builds deterministic, unique quarantine keys per byte offset', () => {
    expect(quarantineKey('quarantine/', '2026/01/obj', 4096)).toBe('quarantine/2026/01/obj/000000004096.txt');
  });

  it('keeps quarantine keys within S3’s 1024 bytes, deterministically, cut on code points', () => {
    const source = `${'ö'.repeat(300)}/${'p'.repeat(400)}/x`; // 1003 bytes: a legal S3 key
    const key = quarantineKey('quarantine/', source, 123);
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(1024);
    expect(key).toMatch(/^quarantine\/ö+\/p+-[0-9a-f]{16}\/000000000123\.txt$/);
    expect(quarantineKey('quarantine/', source, 123)).toBe(key);
    expect(quarantineKey('quarantine/', source + 'y', 123)).not.toBe(key);
  });
});

describe('tagValue', () => {
  it('keeps what S3 allows in a tag value and replaces the rest', () => {
    expect(tagValue('2026-01-05T10:00:00.000Z wfm ctr_1.csv')).toBe('2026-01-05T10:00:00.000Z wfm ctr_1.csv');
    expect(tagValue('a (b), c;"Å"')).toBe('a _b__ c__Å_');
    expect(tagValue('x'.repeat(300))).toHaveLength(256);
  });
});
