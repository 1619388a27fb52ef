import { ConfigError, ConnectWfmError, NonRetryableError, RetryableError } from '../../../common/errors';

/**
 * The transfer's errors. Retryable ones are retried in-process with back-off and, if they persist, leave the SQS
 * message undeleted (SQS retries it, then moves it to the dead-letter queue). Non-retryable ones skip the in-process
 * retries but are treated the same towards SQS: nothing is acknowledged that was not delivered.
 */

/** The SFTP server presented a host key whose SHA-256 fingerprint is not the pinned one. Never retried. */
export class SftpHostKeyMismatchError extends NonRetryableError {}

/** Username, password or key rejected. */
export class SftpAuthenticationError extends NonRetryableError {}

/**
 * The private key cannot be parsed, or its passphrase is wrong: a configuration error (nothing on the server was even
 * tried). The cached secret is dropped, so a corrected secret is used at the next invocation without a restart.
 */
export class SftpPrivateKeyError extends ConfigError {}

/** Client and server share no key exchange, host key, cipher or MAC algorithm: a person must decide to allow more. */
export class SftpAlgorithmError extends NonRetryableError {}

/** The object cannot be read as what its name or magic bytes say (e.g. a corrupt gzip stream). */
export class CorruptObjectError extends NonRetryableError {}

/** An SQS message that is not an S3 event notification. */
export class MalformedMessageError extends NonRetryableError {}

const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** Wraps anything an AWS SDK call threw into the tree, deciding retryability from the SDK's own hints. */
export function toTransferError(error: unknown, operation: string): ConnectWfmError {
  if (error instanceof ConnectWfmError) return error;
  const e = error as {
    name?: string;
    message?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.$metadata?.httpStatusCode;
  const message = `${operation}: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
  const retryable =
    Boolean(e?.$retryable) ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    /Throttl|TimeoutError|RequestTimeout|SlowDown|ServiceUnavailable|InternalError/.test(e?.name ?? '') ||
    (e?.code !== undefined && RETRYABLE_CODES.has(e.code)) ||
    (status === undefined && /socket hang up|ECONNRESET|ECONNREFUSED|timed? ?out/i.test(e?.message ?? ''));
  return retryable ? new RetryableError(message, { cause: error }) : new NonRetryableError(message, { cause: error });
}
