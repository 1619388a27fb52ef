import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CorruptObjectError } from '../errors';

/**
 * Passes bytes through, gunzipping when the stream starts with the gzip magic bytes 1f 8b. Firehose appends `.gz` when
 * it compresses, but the name is not trusted: a renamed or re-copied object is detected by its content.
 * Concatenated gzip members are all decoded. ZIP and framed Snappy (Firehose's other codecs) fail the object clearly.
 */
export interface GzipLimits {
  /** Decompressed bytes one object may expand to. */
  maxBytes: number;
  /** Decompressed bytes per compressed byte, checked once past RATIO_CHECK_AFTER (CTR JSON compresses 10–30×). */
  maxRatio: number;
}

/**
 * A Firehose object is at most 128 MiB before compression; 1 GiB and 100× leave room for any real object and stop a
 * gzip bomb after seconds instead of at the Lambda timeout (docs/historical-feed.md; GZIP_MAX_MB, GZIP_MAX_RATIO).
 */
export const DEFAULT_GZIP_LIMITS: GzipLimits = { maxBytes: 1 << 30, maxRatio: 100 };
/** Small inputs may expand a lot (a header, zero padding): the ratio is judged past this much output. */
const RATIO_CHECK_AFTER = 8 << 20;

export async function* decompressIfGzip(
  source: AsyncIterable<Buffer>,
  limits: GzipLimits = DEFAULT_GZIP_LIMITS,
): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  try {
    let head: Buffer = Buffer.alloc(0);
    while (head.length < 10) {
      const n = await it.next();
      if (n.done) {
        if (head.length > 0) yield head;
        return;
      }
      head = head.length === 0 ? n.value : Buffer.concat([head, n.value]);
    }
    const other = unsupportedCompression(head);
    if (other)
      throw new CorruptObjectError(
        `${other} objects are not supported: set the Firehose compression to UNCOMPRESSED or GZIP`,
      );
    const read = { compressed: 0 };
    const all = async function* (): AsyncGenerator<Buffer> {
      read.compressed += head.length;
      yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        read.compressed += n.value.length;
        yield n.value;
      }
    };
    if (head[0] !== 0x1f || head[1] !== 0x8b) yield* all();
    else yield* gunzip(all(), limits, read);
  } finally {
    // Stopped early (a failed upload, a corrupt object): release the source (for S3, its HTTP connection).
    await it.return?.();
  }
}

async function* gunzip(
  compressed: AsyncGenerator<Buffer>,
  limits: GzipLimits,
  read: { compressed: number },
): AsyncGenerator<Buffer> {
  const inflate = createGunzip();
  const input = Readable.from(compressed);
  input.once('error', (e) => inflate.destroy(e));
  input.pipe(inflate);
  let out = 0;
  try {
    for await (const chunk of inflate) {
      out += (chunk as Buffer).length;
      // Checked before the bytes go on: nothing past a limit is ever converted.
      if (out > limits.maxBytes)
        throw new CorruptObjectError(
          `gzip stream expands to more than ${limits.maxBytes} bytes (GZIP_MAX_MB): not a Firehose object`,
        );
      if (out > RATIO_CHECK_AFTER && out > limits.maxRatio * read.compressed)
        throw new CorruptObjectError(
          `gzip stream expands more than ${limits.maxRatio} times (GZIP_MAX_RATIO): a gzip bomb, not CTRs`,
        );
      yield chunk as Buffer;
    }
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (typeof err.code === 'string' && err.code.startsWith('Z_'))
      throw new CorruptObjectError(`corrupt gzip stream: ${err.message}`, { cause: e });
    throw e;
  } finally {
    input.destroy();
    inflate.destroy();
  }
}

/** Firehose's other codecs, recognised by their magic bytes so they fail clearly instead of as garbage. */
function unsupportedCompression(head: Buffer): string | null {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) return 'ZIP';
  if (head.length >= 10 && head.subarray(0, 10).equals(SNAPPY_FRAMED)) return 'Snappy (framed)';
  return null;
}

const SNAPPY_FRAMED = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]);
