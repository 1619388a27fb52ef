/** One S3 object as Kinesis Data Firehose would deliver it. */
export interface FirehoseObject {
  key: string;
  body: string;
  records: number;
}

export interface FirehoseBufferOptions {
  /** Key prefix before the `YYYY/MM/DD/HH/` path, e.g. `ctr/` (may be empty). */
  prefix: string;
  deliveryStreamName: string;
  /** Buffering interval, measured in the records' own (simulated) time. */
  bufferMillis: number;
  /** Buffering size. */
  bufferBytes: number;
  newId: () => string;
  /** Firehose's `AppendDelimiterToRecord` processor (infra/terraform sets a newline); none by default, as AWS. */
  delimiter?: '' | '\n';
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Groups records the way Firehose delivers them to S3: concatenated with no delimiter, one object per buffer (interval
 * or size, whichever comes first), named `<prefix>YYYY/MM/DD/HH/<stream>-1-YYYY-MM-DD-HH-mm-ss-<uuid>` after the
 * arrival time of the oldest record (docs/reference/connect-formats.md#firehose-objects). Pure: the sinks do the
 * writing.
 */
export class FirehoseObjectBuffer {
  private parts: string[] = [];
  private bytes = 0;
  private oldest: number | null = null;

  constructor(private readonly options: FirehoseBufferOptions) {}

  /** Adds one record arriving at `atMillis`; returns the object the buffer closes, if any. */
  add(json: string, atMillis: number): FirehoseObject | undefined {
    let closed: FirehoseObject | undefined;
    if (this.oldest !== null && atMillis - this.oldest >= this.options.bufferMillis) closed = this.drain();
    if (this.oldest === null) this.oldest = atMillis;
    const record = json + (this.options.delimiter ?? '');
    this.parts.push(record);
    this.bytes += Buffer.byteLength(record);
    if (this.bytes >= this.options.bufferBytes) return closed ?? this.drain();
    return closed;
  }

  /** Closes the buffer if its interval has passed by `nowMillis` (Firehose delivers on time even without new data). */
  due(nowMillis: number): FirehoseObject | undefined {
    if (this.oldest !== null && nowMillis - this.oldest >= this.options.bufferMillis) return this.drain();
    return undefined;
  }

  /** Everything buffered, as one object (or undefined when empty). */
  drain(): FirehoseObject | undefined {
    if (this.oldest === null) return undefined;
    const d = new Date(this.oldest);
    const [y, mo, day, h, mi, s] = [
      d.getUTCFullYear(),
      pad(d.getUTCMonth() + 1),
      pad(d.getUTCDate()),
      pad(d.getUTCHours()),
      pad(d.getUTCMinutes()),
      pad(d.getUTCSeconds()),
    ];
    const key = `${this.options.prefix}${y}/${mo}/${day}/${h}/${this.options.deliveryStreamName}-1-${y}-${mo}-${day}-${h}-${mi}-${s}-${this.options.newId()}`;
    const object = { key, body: this.parts.join(''), records: this.parts.length };
    this.parts = [];
    this.bytes = 0;
    this.oldest = null;
    return object;
  }
}
