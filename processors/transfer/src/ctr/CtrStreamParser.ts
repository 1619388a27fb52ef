import { isUtf8 } from 'node:buffer';
import type { CtrRecord } from './ctrRecord';
import { parseCtrAt } from './parseCtrAt';
import { BUDGET_EXHAUSTED_NOTE, DEFAULT_RESYNC_BUDGET, type ResyncBudget, ResyncSearch } from './ResyncSearch';

/**
 * Splits a Firehose object (concatenated JSON objects, with or without any whitespace between them) into CTRs as bytes
 * arrive. Records never pass through a regular expression: each one is parsed from its opening brace, so braces,
 * newlines and `}{` inside strings are just string content. Anything that is not a CTR becomes an `invalid` item with
 * its exact bytes, and parsing resumes at the next record, so one bad record never costs the rest of the file.
 * A top-level JSON array of CTRs is read too (AWS samples and exports use it; Firehose never does). The format:
 * docs/reference/connect-formats.md#firehose-objects.
 */
export type CtrItem =
  /** `replaced`: characters of exported values replaced by U+FFFD under the text rule. */
  | { kind: 'record'; record: CtrRecord; offset: number; replaced: number }
  /** `invalidUtf8`: well-formed JSON, but not UTF-8 (the text rule quarantines it rather than guess). */
  | { kind: 'invalid'; text: Buffer; offset: number; reason: string; invalidUtf8?: true };

/** Firehose caps a record at 1,000 KiB; a "record" longer than this cannot be one CTR. */
export const MAX_RECORD_BYTES = 1024 * 1024;

const EMPTY = Buffer.alloc(0);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** How much of the next chunk is joined to an unfinished record first (most CTRs are 2–5 KB). */
const BRIDGE_BYTES = 64 * 1024;
const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class CtrStreamParser {
  private pending: Buffer = EMPTY;
  /** Offset in the (decompressed) input of pending[0]: invalid items carry it for the quarantine key. */
  private offset = 0;
  /** Inside a top-level JSON array of CTRs (sample files, exports): commas and the brackets are separators. */
  private inArray = false;
  private bomChecked = false;

  /** Finds where broken text ends; its budget is per parser, that is per object. */
  private readonly search: ResyncSearch;
  /** Absolute offset of a region already known to be broken JSON, and why: not parsed again when bytes arrive. */
  private brokenAt = -1;
  private brokenReason = '';

  constructor(
    private readonly maxRecordBytes = MAX_RECORD_BYTES,
    budget: ResyncBudget = DEFAULT_RESYNC_BUDGET,
  ) {
    this.search = new ResyncSearch(budget, maxRecordBytes);
  }

  /** Bytes read and time spent finding where broken text ends, and whether the budget ran out (for stats). */
  get resync(): { work: number; millis: number; exhausted: boolean } {
    return { work: this.search.work, millis: this.search.millis, exhausted: this.search.exhausted };
  }

  /** Parses what is complete; keeps an unfinished record for the next chunk. */
  push(chunk: Buffer, out: CtrItem[]): void {
    if (this.pending.length > 0 && this.pending.length < chunk.length) {
      // Finish the record that straddles the boundary on a small joined buffer instead of copying the whole chunk.
      const head = this.pending.length;
      const bridge = Buffer.concat([this.pending, chunk.subarray(0, Math.min(chunk.length, head + BRIDGE_BYTES))]);
      this.pending = bridge;
      this.drain(false, out, true);
      const consumed = bridge.length - this.pending.length; // bytes of the bridge parsed
      if (consumed >= head) {
        this.pending = chunk.subarray(consumed - head);
        this.drain(false, out);
        return;
      }
      // The record is longer than the bridge: fall back to one joined buffer.
      this.pending = Buffer.concat([bridge.subarray(consumed), chunk.subarray(bridge.length - head)]);
      this.drain(false, out);
      return;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.drain(false, out);
  }

  /** End of input: whatever is left is a truncated record or trailing garbage. */
  end(out: CtrItem[]): void {
    this.drain(true, out);
  }

  /** `once`: stop after the first item (bridging a chunk boundary). */
  private drain(final: boolean, out: CtrItem[], once = false): void {
    const buf = this.pending;
    const len = buf.length;
    let pos = 0;
    if (this.offset === 0 && !this.bomChecked) {
      // A UTF-8 byte-order mark at the very start (an editor's, never Firehose's) is not data.
      const prefix = Math.min(len, 3);
      if (prefix > 0 && BOM.subarray(0, prefix).equals(buf.subarray(0, prefix))) {
        if (prefix < 3 && !final) return;
        pos = prefix === 3 ? 3 : 0;
      }
      this.bomChecked = true;
    }
    for (let n = out.length; !once || out.length === n;) {
      while (pos < len && isWs(buf[pos]!)) pos++;
      if (pos >= len) break;
      const overLimit = len - pos > this.maxRecordBytes;
      const c = buf[pos]!;
      if (c === 0x5b && !this.inArray) {
        this.inArray = true;
        pos++;
        continue;
      }
      if (this.inArray && (c === 0x2c || c === 0x5d)) {
        if (c === 0x5d) this.inArray = false;
        pos++;
        continue;
      }
      if (c !== 0x7b) {
        const next = buf.indexOf(0x7b, pos);
        if (next < 0 && !final && !overLimit) break;
        const stop = next < 0 ? len : next;
        out.push(this.invalid(buf, pos, stop, 'not a JSON object'));
        pos = stop;
        continue;
      }
      let reason = 'truncated record';
      if (this.brokenAt === this.offset + pos) reason = this.brokenReason;
      else {
        const r = parseCtrAt(buf, pos, len);
        if (r.kind === 'record') {
          // JSON is UTF-8 (RFC 8259 §8.1): decoding bad bytes would write U+FFFD silently, so the record is kept aside.
          if (isUtf8(buf.subarray(pos, r.end)))
            out.push({ kind: 'record', record: r.record, offset: this.offset + pos, replaced: r.replaced });
          else out.push({ ...this.invalid(buf, pos, r.end, 'invalid UTF-8 in the record'), invalidUtf8: true });
          pos = r.end;
          continue;
        }
        if (r.kind === 'invalid' && r.end !== null) {
          out.push(this.invalid(buf, pos, r.end, r.reason));
          pos = r.end;
          continue;
        }
        if (r.kind === 'incomplete' && !final && !overLimit) break;
        if (r.kind === 'invalid') {
          // More bytes cannot repair a syntax error: remember it instead of parsing it again at every chunk.
          this.brokenAt = this.offset + pos;
          this.brokenReason = reason = r.reason;
        }
      }
      const resume = this.search.find(buf, this.offset, pos, len, final || overLimit);
      if (resume === null) break;
      if (this.search.exhausted) reason += ` (${BUDGET_EXHAUSTED_NOTE})`;
      out.push(this.invalid(buf, pos, resume, reason));
      pos = resume;
    }
    this.offset += pos;
    this.pending = pos >= len ? EMPTY : buf.subarray(pos);
  }

  private invalid(buf: Buffer, start: number, end: number, reason: string): Extract<CtrItem, { kind: 'invalid' }> {
    // A copy: the item may outlive the chunk it came from (quarantine writes happen later).
    return { kind: 'invalid', text: Buffer.from(buf.subarray(start, end)), offset: this.offset + start, reason };
  }
}
