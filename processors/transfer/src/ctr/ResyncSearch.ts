import { performance } from 'node:perf_hooks';
import { parseCtrAt } from './parseCtrAt';

/**
 * What finding the next record after broken JSON may cost, per object (docs/historical-feed.md). Past it, the search
 * turns coarse for the rest of the object: after a failed candidate it resumes shortly before where that candidate's
 * parse failed instead of at the next brace, so every byte is read a bounded number of times (work stays linear), at
 * the risk of quarantining a record that starts deep inside broken text; the quarantined item's reason says so.
 */
export interface ResyncBudget {
  /** Bytes the candidate parses may read per byte of input so far, on top of `baseBytes`. */
  workPerInputByte: number;
  baseBytes: number;
  /** Time all the searches of one object may take. */
  maxMillis: number;
}

export const DEFAULT_RESYNC_BUDGET: ResyncBudget = { workPerInputByte: 16, baseBytes: 1 << 20, maxMillis: 2000 };
/** In coarse mode, how far before a failed parse's stopping point the search resumes. */
const COARSE_BACKOFF = 256;

export const BUDGET_EXHAUSTED_NOTE = 'resync budget exhausted: records inside broken text searched coarsely';

/**
 * Finds where a broken region ends: at the first complete CTR that starts inside it (a record cut by a bad write and
 * followed by the next one), else at the brace that balances the opening one. Resumable: offsets are absolute (in the
 * object), so a region still open when a chunk ends continues where it stopped when the next one arrives. Candidates
 * already refuted are not parsed again, a candidate that parses as complete non-CTR JSON is skipped whole, and the
 * balancing brace is tracked incrementally.
 */
export class ResyncSearch {
  /** Bytes read by candidate parses, and time spent, for this object. */
  work = 0;
  millis = 0;
  exhausted = false;
  private region = -1;
  private next = -1;
  private scanAt = -1;
  private depth = 0;
  private inString = false;
  private balanced = -1;

  constructor(
    private readonly budget: ResyncBudget,
    private readonly maxRecordBytes: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** End (relative to buf) of the broken text at buf[from] (absolute `base + from`); null: needs more input. */
  find(buf: Buffer, base: number, from: number, len: number, final: boolean): number | null {
    if (this.region !== base + from) this.reset(base + from);
    const balanced = this.balancedEnd(buf, base, from, len);
    const limit = balanced < 0 ? len : balanced;
    const started = this.clock();
    let q = this.next < 0 ? buf.indexOf(0x7b, from + 1) : this.next - base;
    for (let n = 1; q >= 0 && q < limit; n++) {
      const stop = Math.min(len, q + this.maxRecordBytes);
      const r = parseCtrAt(buf, q, stop);
      if (r.kind === 'record') {
        this.work += r.end - q;
        this.millis += this.clock() - started;
        this.region = -1;
        return q;
      }
      this.work += r.reached - q + 1;
      if (r.kind === 'incomplete' && !final && stop === len) {
        this.next = base + q;
        this.millis += this.clock() - started;
        return null;
      }
      let after = r.kind === 'invalid' && r.end !== null ? r.end : q + 1;
      if (this.exhausted) after = Math.max(after, r.reached - COARSE_BACKOFF);
      q = buf.indexOf(0x7b, after);
      if (this.exhausted) continue;
      if (this.work > this.budget.baseBytes + this.budget.workPerInputByte * (base + len)) this.exhausted = true;
      else if ((n & 63) === 0 && this.millis + this.clock() - started > this.budget.maxMillis) this.exhausted = true;
    }
    this.millis += this.clock() - started;
    this.next = base + (q < 0 || q > limit ? limit : q);
    if (balanced >= 0) {
      this.region = -1;
      return balanced;
    }
    return final ? len : null;
  }

  private reset(region: number): void {
    this.region = region;
    this.next = -1;
    this.scanAt = -1;
    this.depth = 0;
    this.inString = false;
    this.balanced = -1;
  }

  /** The offset after the `}` closing the `{` at `from`, tracking strings and escapes; -1 if not in the buffer yet. */
  private balancedEnd(buf: Buffer, base: number, from: number, len: number): number {
    if (this.balanced >= 0) return this.balanced - base;
    let depth = this.depth;
    let inString = this.inString;
    let i = this.scanAt < 0 ? from : this.scanAt - base;
    for (; i < len; i++) {
      const c = buf[i]!;
      if (inString) {
        if (c === 0x5c) i++;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          this.balanced = base + i + 1;
          return i + 1;
        }
      }
    }
    this.scanAt = base + i;
    this.depth = depth;
    this.inString = inString;
    return -1;
  }
}
