import { NonRetryableError, RetryableError } from '../../../common/errors';

/** WFM answered 400: the key, tenant or source is wrong. A person must fix the configuration. */
export class RtaRejectedError extends NonRetryableError {
  constructor(
    readonly status: number,
    readonly teleoptiMessage: string,
  ) {
    super(`Teleopti RTA rejected the request (HTTP ${status}): ${teleoptiMessage}`);
  }
}

/** Network error, timeout or 5xx (a flooded Teleopti state queue answers 500): worth another attempt. */
export class RtaUnavailableError extends RetryableError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * Older synchronous Teleopti: it applied the batch's known agents, then answered 400 naming one user code it has no
 * person for (docs/reference/teleopti-rta-api.md#answers). Not a configuration error: only that agent is affected.
 */
export class RtaUnknownUserCodeError extends RtaRejectedError {
  constructor(
    status: number,
    teleoptiMessage: string,
    readonly userCode: string,
  ) {
    super(status, teleoptiMessage);
  }
}

const UNKNOWN_USER_PREFIX = 'No person found for UserCode ';
const UNKNOWN_USER_SUFFIX = ', DataSourceId ';

/** The user code a 400 `No person found for UserCode {x}, DataSourceId {id}, SourceId {src}` names, if it is one. */
export function unknownUserCodeIn(message: string): string | undefined {
  if (!message.startsWith(UNKNOWN_USER_PREFIX)) return undefined;
  const end = message.lastIndexOf(UNKNOWN_USER_SUFFIX);
  return end < UNKNOWN_USER_PREFIX.length ? undefined : message.slice(UNKNOWN_USER_PREFIX.length, end);
}
