import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CorruptObjectError } from '../errors';

/**
 * Passes bytes through, gunzipping when the stream starts with the gzip magic bytes 1f 8b. Firehose appends `.gz` when
 * it compresses, but the name is not trusted: a renamed or re-copied object is detected by its content.
 * Concatenated gzip members are all decoded. ZIP and framed Snappy (Firehose's other codecs) fail the object clearly.
 */
export async function* decompressIfGzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
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
    const all = async function* (): AsyncGenerator<Buffer> {
      yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    };
    if (head[0] !== 0x1f || head[1] !== 0x8b) yield* all();
    else yield* gunzip(all());
  } finally {
    // Stopped early (a failed upload, a corrupt object): release the source (for S3, its HTTP connection).
    await it.return?.();
  }
}

async function* gunzip(compressed: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  const inflate = createGunzip();
  const input = Readable.from(compressed);
  input.once('error', (e) => inflate.destroy(e));
  input.pipe(inflate);
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
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
