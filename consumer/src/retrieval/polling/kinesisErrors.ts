const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'LimitExceededException', 'ThrottlingException']);

const nameOf = (error: unknown): string => (error as { name?: string } | null)?.name ?? '';

/** Kinesis says "too fast": GetRecords is limited to 5 calls/s/shard and 2 MB/s, shared by every consumer. */
export const isThrottling = (error: unknown): boolean => THROTTLING.has(nameOf(error));

export const isExpiredIterator = (error: unknown): boolean => nameOf(error) === 'ExpiredIteratorException';

export const isAbort = (error: unknown): boolean => nameOf(error) === 'AbortError';
