/**
 * The error tree shared by every deployable. Callers branch on the type, never on messages:
 * a RetryableError is worth another attempt after a back-off; a NonRetryableError needs a person (bad config, bad input).
 */
export abstract class ConnectWfmError extends Error {
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Transient: network, timeouts, throttling, 5xx. */
export class RetryableError extends ConnectWfmError {
  readonly retryable = true;
}

/** Permanent: configuration, authentication, malformed input. Retrying the same thing cannot help. */
export class NonRetryableError extends ConnectWfmError {
  readonly retryable = false;
}

/** A configuration value is missing or invalid. */
export class ConfigError extends NonRetryableError {
  constructor(
    message: string,
    /** Each bad variable as `NAME: what is wrong`, when the error comes from reading the environment. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

export const isRetryable = (error: unknown): boolean => error instanceof ConnectWfmError && error.retryable;

/** The message of anything thrown, for one log line. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
