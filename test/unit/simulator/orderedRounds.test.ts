import { orderedRounds } from '../../../simulator/src/sinks/orderedRounds';

describe('orderedRounds', () => {
  it('puts at most one record per key in a round and keeps each key’s order across rounds', () => {
    // Prepare
    const records = ['a1', 'b1', 'a2', 'c1', 'a3', 'b2'];

    // Act
    const rounds = orderedRounds(records, (r) => r[0]!);

    // Assess
    expect(rounds).toEqual([['a1', 'b1', 'c1'], ['a2', 'b2'], ['a3']]);
    for (const key of ['a', 'b', 'c'])
      expect(rounds.flat().filter((r) => r.startsWith(key))).toEqual(records.filter((r) => r.startsWith(key)));
  });

  it('keeps a batch of distinct keys in one round', () => {
    // Assess
    expect(orderedRounds(['x', 'y', 'z'], (r) => r)).toEqual([['x', 'y', 'z']]);
    expect(orderedRounds([], (r: string) => r)).toEqual([]);
  });
});
