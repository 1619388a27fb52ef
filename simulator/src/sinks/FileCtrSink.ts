import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BufferedCtrSink } from './BufferedCtrSink';
import type { FirehoseBufferOptions, FirehoseObject } from './FirehoseObjectBuffer';

/** CTRs as Firehose-style object files under a directory (same relative keys as in S3). */
export class FileCtrSink extends BufferedCtrSink {
  constructor(
    private readonly directory: string,
    options: FirehoseBufferOptions,
  ) {
    super(options);
  }

  protected async put(object: FirehoseObject): Promise<string> {
    const path = join(this.directory, object.key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, object.body);
    return path;
  }
}
