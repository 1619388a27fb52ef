import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CorruptObjectError } from '../../../../../processors/transfer/src/errors';
import { decompressIfGzip } from '../../../../../processors/transfer/src/s3/decompressIfGzip';

/** A source that records whether it was closed. */
function trackedSource(chunks: Buffer[]): { source: AsyncGenerator<Buffer>; closed: () => boolean } {
  let closed = false;
  const source = (async function* () {
    try {
      for (const c of chunks) yield c;
    } finally {
      closed = true;
    }
  })();
  return { source, closed: () => closed };
}

describe('decompressIfGzip', () => {
  it.each([
    ['plain', Buffer.from('{"a":1}'.repeat(1000))],
    ['gzip', gzipSync(Buffer.from('{"a":1}'.repeat(1000)))],
  ])('releases the source when the reader stops early (%s)', async (_name, bytes) => {
    // Prepare
    const chunks = Array.from({ length: Math.ceil(bytes.length / 64) }, (_, i) => bytes.subarray(i * 64, i * 64 + 64));
    const tracked = trackedSource(chunks);

    // Act: read one chunk, then stop
    const reader = decompressIfGzip(tracked.source);
    await reader.next();
    await reader.return(undefined);

    // Assess
    expect(tracked.closed()).toBe(true);
  });

  it('passes short and empty inputs through unchanged', async () => {
    const read = async (chunks: Buffer[]) => {
      const out: Buffer[] = [];
      for await (const c of decompressIfGzip(trackedSource(chunks).source)) out.push(c);
      return Buffer.concat(out).toString();
    };
    expect(await read([])).toBe('');
    expect(await read([Buffer.from('{'), Buffer.from('}')])).toBe('{}');
  });
});

describe('decompressIfGzip limits (gzip bombs)', () => {
  /** `members` gzip members of 16 MiB of zeros each (about 16 KB compressed each, a ratio near 1000). */
  const bomb = (members: number): Buffer[] => {
    const member = gzipSync(Buffer.alloc(16 << 20));
    return Array.from({ length: members }, () => member);
  };
  const drain = async (reader: AsyncGenerator<Buffer>): Promise<{ bytes: number; error: unknown }> => {
    let bytes = 0;
    try {
      for await (const chunk of reader) bytes += chunk.length;
      return { bytes, error: null };
    } catch (error) {
      return { bytes, error };
    }
  };

  it('fails a stream whose expansion ratio is beyond the limit as CorruptObject, early', async () => {
    const { bytes, error } = await drain(decompressIfGzip(trackedSource(bomb(32)).source));
    expect(error).toBeInstanceOf(CorruptObjectError);
    expect(String(error)).toMatch(/expands more than 100 times/);
    expect(bytes).toBeLessThan(64 << 20); // of 512 MiB
  });

  it('fails a stream larger than the decompressed limit as CorruptObject, and honours configured limits', async () => {
    const random = randomBytes(3 << 20); // incompressible: ratio 1
    const { bytes, error } = await drain(
      decompressIfGzip(trackedSource([gzipSync(random)]).source, { maxBytes: 2 << 20, maxRatio: 100 }),
    );
    expect(error).toBeInstanceOf(CorruptObjectError);
    expect(String(error)).toMatch(/more than 2097152 bytes/);
    expect(bytes).toBeLessThanOrEqual(2 << 20);
    // Within the limits, everything comes through.
    const ok = await drain(decompressIfGzip(trackedSource(bomb(1)).source, { maxBytes: 32 << 20, maxRatio: 2000 }));
    expect(ok).toEqual({ bytes: 16 << 20, error: null });
  });
});
