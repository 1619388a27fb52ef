import { decideExport, exportFingerprint } from '../../../../../processors/transfer/src/dedup/decideExport';
import { ctrRecord } from '../../../../helpers/ctrRecords';

describe('decideExport', () => {
  const v = (lastUpdateTimestamp: string, fingerprint: string) => ({ lastUpdateTimestamp, fingerprint });

  it.each([
    ['new contact', undefined, v('2026-01-05T10:00:00Z', 'a'), 'new'],
    ['later, same exported fields', v('2026-01-05T10:00:00Z', 'a'), v('2026-01-07T10:00:00Z', 'a'), 'unchanged'],
    ['plain re-delivery', v('2026-01-05T10:00:00Z', 'a'), v('2026-01-05T10:00:00Z', 'a'), 'unchanged'],
    ['later, exported fields changed', v('2026-01-05T10:00:00Z', 'a'), v('2026-01-07T10:00:00Z', 'b'), 'changed'],
    ['older than what was exported', v('2026-01-07T10:00:00Z', 'b'), v('2026-01-05T10:00:00Z', 'a'), 'stale'],
    [
      'millisecond precision compared as instants',
      v('2026-01-05T10:00:00.500Z', 'a'),
      v('2026-01-05T10:00:00Z', 'b'),
      'stale',
    ],
  ] as const)('%s -> %s', (_name, stored, incoming, expected) => {
    expect(decideExport(stored, incoming)).toBe(expected);
  });
});

describe('exportFingerprint', () => {
  it('ignores LastUpdateTimestamp and unexported fields, and sees every exported one', () => {
    const base = exportFingerprint(ctrRecord({ lastUpdateTimestamp: '2026-01-05T10:00:00Z' }), 'extended');
    expect(
      exportFingerprint(ctrRecord({ lastUpdateTimestamp: '2026-01-09T10:00:00Z', attributes: { x: 'y' } }), 'extended'),
    ).toBe(base);
    expect(exportFingerprint(ctrRecord({ queueDuration: 1 }), 'extended')).not.toBe(base);
    expect(exportFingerprint(ctrRecord({ disconnectTimestamp: '2026-01-05T11:00:00Z' }), 'extended')).not.toBe(base);
    expect(exportFingerprint(ctrRecord({ disconnectTimestamp: '2026-01-05T11:00:00Z' }), 'standard')).toBe(
      exportFingerprint(ctrRecord(), 'standard'),
    );
  });
});
