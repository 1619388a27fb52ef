/**
 * Splits records into consecutive rounds holding at most one record per partition key, in order. Sending round after
 * round (each retried until complete) keeps every key's order even when PutRecords rejects some records: a retried
 * record can never land behind a later record of the same agent.
 */
export function orderedRounds<T>(records: readonly T[], keyOf: (r: T) => string): T[][] {
  const rounds: T[][] = [];
  let queue = records;
  while (queue.length > 0) {
    const seen = new Set<string>();
    const round: T[] = [];
    const rest: T[] = [];
    for (const r of queue) {
      const key = keyOf(r);
      if (seen.has(key)) rest.push(r);
      else {
        seen.add(key);
        round.push(r);
      }
    }
    rounds.push(round);
    queue = rest;
  }
  return rounds;
}
