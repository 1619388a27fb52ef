/**
 * Exponential back-off with jitter: attempt 1 waits about `base`, doubling up to `max`; the wait is drawn from
 * [half, full] of that value so that many tasks recovering from the same outage do not retry in lockstep.
 */
export function backoffMillis(attempt: number, baseMillis: number, maxMillis: number, random = Math.random): number {
  const ceiling = Math.min(maxMillis, baseMillis * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
