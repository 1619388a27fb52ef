import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CorruptObjectError } from '../errors';

/**
 * Passes bytes through, gunzipping when the stream starts with the gzip magic bytes 1f 8b. Firehose appends `.gz` when
 * it compresses, but the name is not trusted: a renamed or re-copied object is detected by its content.
 * Concatenated gzip members are all decoded.
 */
export async function* decompressIfGzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const n = await it.next();
    if (n.done) {
      if (head.length > 0) yield head;
      return;
    }
    head = head.length === 0 ? n.value : Buffer.concat([head, n.value]);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  };
  const gunzip = createGunzip();
  const input = Readable.from(rest());
  input.once('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (typeof err.code === 'string' && err.code.startsWith('Z_'))
      throw new CorruptObjectError(`corrupt gzip stream: ${err.message}`, { cause: e });
    throw e;
  } finally {
    input.destroy();
  }
}
