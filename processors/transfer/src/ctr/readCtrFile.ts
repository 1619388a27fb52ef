import { createReadStream } from 'node:fs';
import { decompressIfGzip } from '../s3/decompressIfGzip';

/** A local CTR file (plain or gzip, detected by content) as a stream of bytes, read in 1 MiB chunks. */
export const readCtrFile = (path: string): AsyncGenerator<Buffer> =>
  decompressIfGzip(createReadStream(path, { highWaterMark: 1 << 20 }));
