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
