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
});

describe('tagValue', () => {
  it('keeps what S3 allows in a tag value and replaces the rest', () => {
    expect(tagValue('2026-01-05T10:00:00.000Z wfm ctr_1.csv')).toBe('2026-01-05T10:00:00.000Z wfm ctr_1.csv');
    expect(tagValue('a (b), c;"Å"')).toBe('a _b__ c__Å_');
    expect(tagValue('x'.repeat(300))).toHaveLength(256);
  });
});
