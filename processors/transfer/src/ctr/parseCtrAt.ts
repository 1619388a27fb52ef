import type { CtrAgent, CtrQueue, CtrRecord } from './ctrRecord';

/**
 * A validating JSON parser specialised for CTRs. It checks the whole object against the JSON grammar (RFC 8259) but
 * materialises only the fields the feed exports, so a 3 KB record costs a byte scan instead of the hundred objects and
 * strings `JSON.parse` would allocate for recordings, attributes and hierarchy groups. That is what keeps the
 * converter ahead of `JSON.parse` while staying strict: one invalid byte anywhere makes the record invalid.
 */
export type ParseResult =
  /** `replaced`: control characters and lone surrogates in exported fields replaced by U+FFFD (the text rule). */
  | { kind: 'record'; end: number; record: CtrRecord; replaced: number }
  /** The buffer ends before the object does: wait for more bytes (or, at end of input, it is truncated). */
  | { kind: 'incomplete'; reached: number }
  /**
   * `end` is set when the text was complete, valid JSON (just not a CTR); null when the JSON itself is broken.
   * `reached`: how far the parser read (the work the attempt cost).
   */
  | { kind: 'invalid'; end: number | null; reason: string; reached: number };

const MAX_DEPTH = 64;

/**
 * Buffer's own decoders (what `toString(encoding, start, end)` calls after checking its arguments); present in every
 * Node.js release, though not in the type definitions. Bounds are always inside the buffer here.
 */
interface FastSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
const INCOMPLETE = Symbol('incomplete');

class JsonSyntaxError {
  constructor(readonly reason: string) {}
}

class CtrShapeError {
  constructor(readonly reason: string) {}
}

type Scalar = string | number | boolean | null | undefined | typeof NESTED;
const NESTED = Symbol('nested');

/**
 * Keys are matched as bytes, never decoded: a CTR has ~70 keys and decoding each one to a string was a third of the
 * parse time. A table holds the wanted keys by length; an escaped key (legal, never seen) is decoded and looked up.
 */
class KeyTable {
  private readonly byLength: { bytes: Buffer; index: number }[][] = [];
  constructor(readonly names: readonly string[]) {
    names.forEach((name, index) => {
      const bytes = Buffer.from(name, 'latin1');
      (this.byLength[bytes.length] ??= []).push({ bytes, index });
    });
  }
  /** Index of the key in buf[start, end), or -1. */
  match(buf: Buffer, start: number, end: number): number {
    const candidates = this.byLength[end - start];
    if (candidates === undefined) return -1;
    outer: for (const { bytes, index } of candidates) {
      for (let i = 0; i < bytes.length; i++) if (buf[start + i] !== bytes[i]) continue outer;
      return index;
    }
    return -1;
  }
  matchName(name: string): number {
    return this.names.indexOf(name);
  }
  private readonly index = new Map<string, number>();
  /** Index of a wanted key by name (cached; for reading values out). */
  indexOf(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) this.index.set(name, (i = this.names.indexOf(name)));
    return i;
  }
}

const TOP_KEYS = new KeyTable([
  'ContactId',
  'LastUpdateTimestamp',
  'Channel',
  'InitiationMethod',
  'InitiationTimestamp',
  'DisconnectTimestamp',
  'TransferCompletedTimestamp',
  'Agent',
  'Queue',
  'SystemEndpoint',
  'TransferredToEndpoint',
]);
const TOP_SCALARS = 7;
const AGENT_KEYS = new KeyTable([
  'ARN',
  'Username',
  'AfterContactWorkDuration',
  'AgentInteractionDuration',
  'CustomerHoldDuration',
  'ConnectedToAgentTimestamp',
]);
const QUEUE_KEYS = new KeyTable(['ARN', 'Name', 'Duration', 'EnqueueTimestamp']);
const ENDPOINT_KEYS = new KeyTable(['Address']);
/** Agent, Queue, SystemEndpoint, TransferredToEndpoint: the TOP_KEYS after the scalars, in order. */
const OBJECT_TABLES = [AGENT_KEYS, QUEUE_KEYS, ENDPOINT_KEYS, ENDPOINT_KEYS];

/** Values of a KeyTable's keys by index, plus the table for error messages. */
interface Fields {
  table: KeyTable;
  values: Scalar[];
}

/** Parses one JSON object starting at `start` (which must be `{`) and reads it as a CTR. Never throws. */
export function parseCtrAt(buf: Buffer, start: number, end: number = buf.length): ParseResult {
  const p = new Parser(buf, start, end);
  try {
    const record = p.ctr();
    return { kind: 'record', end: p.pos, record, replaced: p.replaced };
  } catch (e) {
    if (e === INCOMPLETE) return { kind: 'incomplete', reached: end };
    if (e instanceof JsonSyntaxError) return { kind: 'invalid', end: null, reason: e.reason, reached: p.pos };
    if (e instanceof CtrShapeError) return { kind: 'invalid', end: p.pos, reason: e.reason, reached: p.pos };
    throw e;
  }
}

class Parser {
  private readonly fast: FastSlices;

  constructor(
    private readonly buf: Buffer,
    public pos: number,
    private readonly end: number,
  ) {
    this.fast = buf as unknown as FastSlices;
  }

  ctr(): CtrRecord {
    if (this.buf[this.pos] !== 0x7b) this.fail('expected {');
    const top: Fields = { table: TOP_KEYS, values: new Array<Scalar>(TOP_SCALARS).fill(undefined) };
    const objects: (Fields | null | typeof NESTED)[] = [null, null, null, null];
    this.pos++;
    let first = true;
    for (;;) {
      const c = this.ws();
      if (c === 0x7d && first) {
        this.pos++;
        break;
      }
      if (c !== 0x22) this.fail('expected a key');
      const k = this.key(TOP_KEYS);
      this.colon();
      if (k < 0) this.skip(1);
      else if (k < TOP_SCALARS) top.values[k] = this.scalar(1);
      else objects[k - TOP_SCALARS] = this.objectOf(OBJECT_TABLES[k - TOP_SCALARS]!);
      first = false;
      const d = this.ws();
      this.pos++;
      if (d === 0x2c) continue;
      if (d === 0x7d) break;
      this.pos--;
      this.fail('expected , or }');
    }
    return toRecord(top, objects[0]!, objects[1]!, objects[2]!, objects[3]!);
  }

  /** The next non-whitespace byte (not consumed). */
  private ws(): number {
    const buf = this.buf;
    let i = this.pos;
    while (i < this.end) {
      const c = buf[i]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.pos = i;
        return c;
      }
      i++;
    }
    throw INCOMPLETE;
  }

  private colon(): void {
    if (this.ws() !== 0x3a) this.fail('expected :');
    this.pos++;
  }

  private fail(reason: string): never {
    throw new JsonSyntaxError(`${reason} at byte ${this.pos}`);
  }

  /** An object whose listed keys are read as scalars; null for JSON null; NESTED for any other type. */
  private objectOf(keys: KeyTable): Fields | null | typeof NESTED {
    const c = this.ws();
    if (c === 0x6e) {
      this.literal('null');
      return null;
    }
    if (c !== 0x7b) {
      this.skip(1);
      return NESTED;
    }
    const fields: Fields = { table: keys, values: new Array<Scalar>(keys.names.length).fill(undefined) };
    this.pos++;
    let first = true;
    for (;;) {
      const c0 = this.ws();
      if (c0 === 0x7d && first) {
        this.pos++;
        return fields;
      }
      if (c0 !== 0x22) this.fail('expected a key');
      const k = this.key(keys);
      this.colon();
      if (k >= 0) fields.values[k] = this.scalar(2);
      else this.skip(2);
      first = false;
      const d = this.ws();
      this.pos++;
      if (d === 0x2c) continue;
      if (d === 0x7d) return fields;
      this.pos--;
      this.fail('expected , or }');
    }
  }

  /** A value that should be a string, number, boolean or null; objects and arrays are validated and flagged. */
  private scalar(depth: number): Scalar {
    const c = this.ws();
    if (c === 0x22) return this.string(true) as string;
    if (c === 0x6e) {
      this.literal('null');
      return null;
    }
    if (c === 0x74) {
      this.literal('true');
      return true;
    }
    if (c === 0x66) {
      this.literal('false');
      return false;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = this.pos;
      this.number();
      return Number(this.fast.latin1Slice(start, this.pos));
    }
    this.skip(depth);
    return NESTED;
  }

  /** Index of the key at pos in the table, or -1; consumes the key. */
  private key(table: KeyTable): number {
    const start = this.pos + 1;
    const escapedBefore = this.escapes;
    this.string(false);
    if (this.escapes === escapedBefore) return table.match(this.buf, start, this.pos - 1);
    return table.matchName(JSON.parse(this.buf.toString('utf8', start - 1, this.pos)) as string);
  }

  /** Count of strings with escapes seen: lets `key` know whether the key it just read needs decoding. */
  private escapes = 0;
  /** Characters of decoded values replaced by U+FFFD (see `clean`). */
  replaced = 0;

  /**
   * The text rule (docs/historical-feed.md): control characters other than tab, CR and LF (C0, DEL, C1) and lone
   * surrogates in an exported value become U+FFFD, counted; a CSV never carries a raw NUL or an unpaired surrogate.
   */
  private clean(s: string): string {
    return s.replace(UNSAFE_TEXT, () => {
      this.replaced++;
      return '\ufffd';
    });
  }

  /** A JSON string starting at the opening quote; decoded only when asked. */
  private string(decode: boolean): string | undefined {
    // Fast path, small enough to be inlined: a string of plain bytes (no escape) up to its closing quote.
    const buf = this.buf;
    const end = this.end;
    const start = this.pos + 1;
    const plain = PLAIN;
    let i = start;
    while (i + 4 <= end && (plain[buf[i]!]! & plain[buf[i + 1]!]! & plain[buf[i + 2]!]! & plain[buf[i + 3]!]!) === 1)
      i += 4;
    while (i < end && plain[buf[i]!] === 1) i++;
    if (i < end && buf[i] === 0x22) {
      this.pos = i + 1;
      return decode ? this.fast.utf8Slice(start, i) : undefined;
    }
    return this.escapedString(start, i, decode);
  }

  /** The rest of a string from `i` (a backslash, a control character or the end of the buffer). */
  private escapedString(start: number, from: number, decode: boolean): string | undefined {
    const buf = this.buf;
    const end = this.end;
    const plain = PLAIN;
    let i = from;
    let escaped = false;
    let suspect = false;
    for (;;) {
      while (i < end && plain[buf[i]!] === 1) i++;
      if (i >= end) throw INCOMPLETE;
      const c = buf[i]!;
      if (c === 0x22) break;
      if (c === 0x7f || c === 0xc2) {
        // DEL, or the lead byte of U+0080–U+00BF (the C1 controls among them): legal JSON, checked once decoded.
        suspect = true;
        i++;
        continue;
      }
      if (c === 0x5c) {
        escaped = true;
        if (i + 1 >= end) throw INCOMPLETE;
        const e = buf[i + 1]!;
        if (e === 0x75) {
          if (i + 5 >= end) throw INCOMPLETE;
          for (let h = i + 2; h < i + 6; h++) if (!isHex(buf[h]!)) this.failAt(h, 'bad \\u escape');
          i += 6;
        } else if (
          e === 0x22 ||
          e === 0x5c ||
          e === 0x2f ||
          e === 0x62 ||
          e === 0x66 ||
          e === 0x6e ||
          e === 0x72 ||
          e === 0x74
        ) {
          i += 2;
        } else this.failAt(i, 'bad escape');
        continue;
      }
      this.failAt(i, 'control character in string');
    }
    this.pos = i + 1;
    if (escaped) this.escapes++;
    if (!decode) return undefined;
    // Escapes are rare in CTRs; JSON.parse of the one string gives exactly its semantics (surrogates included).
    const text = escaped
      ? (JSON.parse(this.fast.utf8Slice(start - 1, i + 1)) as string)
      : this.fast.utf8Slice(start, i);
    return escaped || suspect ? this.clean(text) : text;
  }

  private failAt(at: number, reason: string): never {
    this.pos = at;
    this.fail(reason);
  }

  private literal(word: 'null' | 'true' | 'false'): void {
    const buf = this.buf;
    for (let j = 0; j < word.length; j++) {
      if (this.pos + j >= this.end) throw INCOMPLETE;
      if (buf[this.pos + j] !== word.charCodeAt(j)) this.failAt(this.pos + j, `bad literal (expected ${word})`);
    }
    this.pos += word.length;
  }

  /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; a number can only end at a delimiter, so it needs one more byte. */
  private number(): void {
    const buf = this.buf;
    const end = this.end;
    let i = this.pos;
    if (i < end && buf[i] === 0x2d) i++;
    if (i >= end) throw INCOMPLETE;
    if (buf[i] === 0x30) i++;
    else if (isDigit(buf[i]!)) while (i < end && isDigit(buf[i]!)) i++;
    else this.failAt(i, 'bad number');
    if (i >= end) throw INCOMPLETE;
    if (buf[i] === 0x2e) {
      i++;
      if (i >= end) throw INCOMPLETE;
      if (!isDigit(buf[i]!)) this.failAt(i, 'bad number');
      while (i < end && isDigit(buf[i]!)) i++;
      if (i >= end) throw INCOMPLETE;
    }
    if (buf[i] === 0x65 || buf[i] === 0x45) {
      i++;
      if (i < end && (buf[i] === 0x2b || buf[i] === 0x2d)) i++;
      if (i >= end) throw INCOMPLETE;
      if (!isDigit(buf[i]!)) this.failAt(i, 'bad number');
      while (i < end && isDigit(buf[i]!)) i++;
      if (i >= end) throw INCOMPLETE;
    }
    this.pos = i;
  }

  /** Validates and skips any JSON value. */
  private skip(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    const c = this.ws();
    if (c === 0x22) {
      this.string(false);
    } else if (c === 0x7b) {
      this.pos++;
      if (this.ws() === 0x7d) {
        this.pos++;
        return;
      }
      for (;;) {
        if (this.ws() !== 0x22) this.fail('expected a key');
        this.string(false);
        this.colon();
        this.skip(depth + 1);
        const d = this.ws();
        this.pos++;
        if (d === 0x2c) continue;
        if (d === 0x7d) return;
        this.pos--;
        this.fail('expected , or }');
      }
    } else if (c === 0x5b) {
      this.pos++;
      if (this.ws() === 0x5d) {
        this.pos++;
        return;
      }
      for (;;) {
        this.skip(depth + 1);
        const d = this.ws();
        this.pos++;
        if (d === 0x2c) continue;
        if (d === 0x5d) return;
        this.pos--;
        this.fail('expected , or ]');
      }
    } else if (c === 0x6e) this.literal('null');
    else if (c === 0x74) this.literal('true');
    else if (c === 0x66) this.literal('false');
    else if (c === 0x2d || isDigit(c)) this.number();
    else this.fail('unexpected character');
  }
}

/** Bytes a string's fast path passes: not `"`, `\\`, C0 controls, DEL or 0xC2 (which may start a C1 control). */
const PLAIN = new Uint8Array(256).map((_, c) =>
  c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x7f && c !== 0xc2 ? 1 : 0,
);
const UNSAFE_TEXT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

function toRecord(
  top: Fields,
  agent: Fields | null | typeof NESTED,
  queue: Fields | null | typeof NESTED,
  systemEndpoint: Fields | null | typeof NESTED,
  transferredTo: Fields | null | typeof NESTED,
): CtrRecord {
  const contactId = top.values[0];
  if (typeof contactId !== 'string' || contactId === '') throw new CtrShapeError('not a CTR: no ContactId string');
  return {
    contactId,
    lastUpdateTimestamp: str(top, 'LastUpdateTimestamp', ''),
    channel: str(top, 'Channel', ''),
    initiationMethod: str(top, 'InitiationMethod', ''),
    initiationTimestamp: str(top, 'InitiationTimestamp', ''),
    disconnectTimestamp: str(top, 'DisconnectTimestamp', ''),
    transferCompletedTimestamp: str(top, 'TransferCompletedTimestamp', ''),
    agent: agentOf(obj(agent, 'Agent')),
    queue: queueOf(obj(queue, 'Queue')),
    systemEndpointAddress: endpointAddress(obj(systemEndpoint, 'SystemEndpoint'), 'SystemEndpoint.'),
    transferredToEndpointAddress: endpointAddress(
      obj(transferredTo, 'TransferredToEndpoint'),
      'TransferredToEndpoint.',
    ),
  };
}

function obj(v: Fields | null | typeof NESTED, name: string): Fields | null {
  if (v === NESTED) throw new CtrShapeError(`not a CTR: ${name} is not an object`);
  return v;
}

function str(f: Fields, key: string, path: string): string | null {
  const v = f.values[f.table.indexOf(key)];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  throw new CtrShapeError(`not a CTR: ${path}${key} is not a string`);
}

function num(f: Fields, key: string, path: string): number | null {
  const v = f.values[f.table.indexOf(key)];
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v;
  throw new CtrShapeError(`not a CTR: ${path}${key} is not a number`);
}

function agentOf(f: Fields | null): CtrAgent | null {
  if (!f) return null;
  return {
    arn: str(f, 'ARN', 'Agent.'),
    username: str(f, 'Username', 'Agent.'),
    afterContactWorkDuration: num(f, 'AfterContactWorkDuration', 'Agent.'),
    agentInteractionDuration: num(f, 'AgentInteractionDuration', 'Agent.'),
    customerHoldDuration: num(f, 'CustomerHoldDuration', 'Agent.'),
    connectedToAgentTimestamp: str(f, 'ConnectedToAgentTimestamp', 'Agent.'),
  };
}

function queueOf(f: Fields | null): CtrQueue | null {
  if (!f) return null;
  return {
    arn: str(f, 'ARN', 'Queue.'),
    name: str(f, 'Name', 'Queue.'),
    duration: num(f, 'Duration', 'Queue.'),
    enqueueTimestamp: str(f, 'EnqueueTimestamp', 'Queue.'),
  };
}

function endpointAddress(f: Fields | null, path: string): string | null {
  return f ? str(f, 'Address', path) : null;
}
