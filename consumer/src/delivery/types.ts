/** Everything the pipeline hands to a StateDelivery in one call. */
export interface StateBatch {
  states: readonly { userCode: string; stateCode: string }[];
  isSnapshot: boolean;
}

/**
 * Delivers a batch to WFM in one attempt. Resolves when every state is acknowledged (2xx).
 * Throws RetryableError (network, timeout, 5xx: the outcome is unknown), RtaUnknownUserCodeError (an older Teleopti
 * applied the others and names one unknown user code) or NonRetryableError (400: key, source) — never retries itself,
 * so the pipeline can coalesce newer windows into the next attempt.
 */
export interface StateDelivery {
  post(batch: StateBatch): Promise<void>;
}
