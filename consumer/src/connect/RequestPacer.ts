/**
 * Spaces calls so that at most `perSecond` start in any second (one every 1000/perSecond ms), across every caller
 * that shares the pacer: Connect's quotas are per account, and other integrations of the account need their share.
 */
export class RequestPacer {
  private nextAt = 0;

  constructor(
    private readonly perSecond: number,
    private readonly sleep: (millis: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when the caller may send its request. */
  async turn(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + 1000 / this.perSecond;
    if (at > now) await this.sleep(at - now);
  }
}
