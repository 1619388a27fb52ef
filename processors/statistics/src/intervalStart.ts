/**
 * The start of the interval (of `minutes`, aligned to UTC midnight) containing an ISO-8601 instant, as ISO 8601 UTC
 * with `Z` and no milliseconds (`2026-01-05T10:15:00Z`). Null for a missing or unparseable timestamp.
 */
export function intervalStart(timestamp: string | null | undefined, minutes: number): string | null {
  if (!timestamp) return null;
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return null;
  const size = minutes * 60000;
  return new Date(Math.floor(t / size) * size).toISOString().replace('.000Z', 'Z');
}
