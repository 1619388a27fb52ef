import { advances } from '../../../../consumer/src/checkpoint/checkpointOrder';

describe('advances', () => {
  test.each([
    [undefined, '1', true],
    ['TRIM_HORIZON', '5', true],
    ['AT_TIMESTAMP', 'SHARD_END', true],
    ['9', '10', true],
    ['10', '9', false],
    ['10', '10', false],
    [
      '49590338271490256608559692538361571095921575989136588898',
      '49590338271490256608559692538361571095921575989136588899',
      true,
    ],
    ['SHARD_END', '1', false],
    ['5', 'SHARD_END', true],
    ['5', 'TRIM_HORIZON', false],
  ])('from %p to %p: %p', (previous, next, expected) => {
    expect(advances(previous, next)).toBe(expected);
  });
});
