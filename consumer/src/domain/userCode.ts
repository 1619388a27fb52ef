/**
 * Teleopti keeps user codes in nvarchar(50) columns (`agent_info.orig_agent_id`;
 * docs/reference/teleopti-rta-api.md#field-rules).
 */
export const MAX_USER_CODE_LENGTH = 50;

/**
 * Why Teleopti could not store this (already trimmed) username as a user code, or undefined when it can. An older
 * Teleopti answers such a code with a 400 for the whole batch; the newest drops it silently.
 */
export function userCodeProblem(userCode: string): string | undefined {
  if (userCode.length > MAX_USER_CODE_LENGTH) return `longer than ${MAX_USER_CODE_LENGTH} characters`;
  if (/\p{Cc}/u.test(userCode)) return 'contains control characters';
  return undefined;
}
