import { NonRetryableError, RetryableError } from '../../../common/errors';

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException']);

interface SdkError {
  name?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Connect says "too fast" (429): the quotas are per account and Region, shared with every other caller. */
export function isConnectThrottling(error: unknown): boolean {
  const e = error as SdkError | null;
  return THROTTLING.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

/** Throttling, 5xx and network failures are worth another attempt; a bad request or missing permission is not. */
export function toConnectError(error: unknown, call: string): Error {
  const e = error as SdkError | null;
  const message = `${call}: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
  if (
    isConnectThrottling(error) ||
    e?.$fault === 'server' ||
    /Timeout|ECONN|socket|EPIPE|NetworkingError/i.test(`${e?.name} ${e?.message}`)
  )
    return new RetryableError(message, { cause: error });
  return new NonRetryableError(message, { cause: error });
}
