import { gzipSync } from 'node:zlib';
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
