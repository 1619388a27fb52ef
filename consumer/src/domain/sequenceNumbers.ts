/**
 * Kinesis sequence numbers are decimal strings of up to 129 digits: compare them as numbers without converting
 * (a JS number loses precision; BigInt is slower on the hot path). Leading zeros do not occur.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export const maxSequenceNumber = (a: string | undefined, b: string): string =>
  a === undefined || compareSequenceNumbers(b, a) > 0 ? b : a;
