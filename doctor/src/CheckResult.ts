export type CheckStatus = 'PASS' | 'FAIL' | 'SKIP';

/** One line of `connect-wfm doctor`. */
export interface CheckResult {
  status: CheckStatus;
  /** What was checked, e.g. `kinesis stream`. */
  check: string;
  /** What was found (PASS/FAIL) or why it was not checked (SKIP). Never a secret. */
  detail: string;
  /** What to do about a FAIL (or a SKIP that may be unintended). */
  remedy?: string;
}

export const pass = (check: string, detail: string): CheckResult => ({ status: 'PASS', check, detail });
export const fail = (check: string, detail: string, remedy: string): CheckResult => ({
  status: 'FAIL',
  check,
  detail,
  remedy,
});
export const skip = (check: string, detail: string, remedy?: string): CheckResult => ({
  status: 'SKIP',
  check,
  detail,
  remedy,
});

/** `PASS  kinesis stream  …  (remedy: …)` — one line per result. */
export function formatResult(r: CheckResult, width = 18): string {
  const remedy = r.remedy ? ` Remedy: ${r.remedy}` : '';
  return `${r.status}  ${r.check.padEnd(width)}  ${r.detail}${remedy}`.replace(/\s*\n\s*/g, ' ');
}
