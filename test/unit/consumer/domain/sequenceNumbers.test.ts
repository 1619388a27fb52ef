import { compareSequenceNumbers, maxSequenceNumber } from '../../../../consumer/src/domain/sequenceNumbers';

describe('compareSequenceNumbers', () => {
  it('orders decimal strings numerically, beyond the precision of a JS number', () => {
    const a = '49590338271490256608559692538361571095921575989136588898';
    const b = '49590338271490256608559692538361571095921575989136588899';
    expect(Number(a)).toBe(Number(b)); // why strings: a number cannot tell them apart
    expect(compareSequenceNumbers(a, b)).toBe(-1);
    expect(compareSequenceNumbers(b, a)).toBe(1);
    expect(compareSequenceNumbers(a, a)).toBe(0);
    expect(compareSequenceNumbers('99', '100')).toBe(-1);
  });

  it('keeps the larger of two', () => {
    expect(maxSequenceNumber(undefined, '5')).toBe('5');
    expect(maxSequenceNumber('10', '9')).toBe('10');
    expect(maxSequenceNumber('9', '10')).toBe('10');
  });
});
