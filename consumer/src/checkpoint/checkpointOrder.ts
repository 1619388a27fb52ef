import { compareSequenceNumbers } from '../domain/sequenceNumbers';
import { SHARD_END } from './types';

const SENTINELS = new Set(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']);

/** True when `next` is a real position after `previous` (SHARD_END is last; KCL start sentinels come first). */
export function advances(previous: string | undefined, next: string): boolean {
  if (previous === undefined || SENTINELS.has(previous)) return next !== previous;
  if (previous === SHARD_END) return false;
  if (next === SHARD_END) return true;
  if (SENTINELS.has(next)) return false;
  return compareSequenceNumbers(next, previous) > 0;
}

/** A position the direct reader can resume after (not a sentinel). */
export const isSequenceNumber = (value: string | undefined): value is string =>
  value !== undefined && /^\d+$/.test(value);
