import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FirehoseObjectBuffer, type FirehoseBufferOptions, type FirehoseObject } from './FirehoseObjectBuffer';
import type { CtrSink } from './types';

/** CTRs as Firehose-style object files under a directory (same relative keys as in S3). */
export class FileCtrSink implements CtrSink {
  private readonly buffer: FirehoseObjectBuffer;
  readonly written: string[] = [];

  constructor(
    private readonly directory: string,
    options: FirehoseBufferOptions,
  ) {
    this.buffer = new FirehoseObjectBuffer(options);
  }

  async write(_record: unknown, json: string, atMillis: number): Promise<void> {
    await this.put(this.buffer.add(json, atMillis));
  }

  async tick(nowMillis: number): Promise<void> {
    await this.put(this.buffer.due(nowMillis));
  }

  async flush(): Promise<void> {
    await this.put(this.buffer.drain());
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private async put(object: FirehoseObject | undefined): Promise<void> {
    if (!object) return;
    const path = join(this.directory, object.key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, object.body);
    this.written.push(path);
  }
}
