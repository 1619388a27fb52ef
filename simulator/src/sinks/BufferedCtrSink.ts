import { FirehoseObjectBuffer, type FirehoseBufferOptions, type FirehoseObject } from './FirehoseObjectBuffer';
import type { CtrSink } from './types';

/** CTRs buffered into Firehose-style objects (size or interval, whichever comes first); subclasses store an object. */
export abstract class BufferedCtrSink implements CtrSink {
  private readonly buffer: FirehoseObjectBuffer;
  readonly written: string[] = [];

  constructor(options: FirehoseBufferOptions) {
    this.buffer = new FirehoseObjectBuffer(options);
  }

  async write(_record: unknown, json: string, atMillis: number): Promise<void> {
    await this.store(this.buffer.add(json, atMillis));
  }

  async tick(nowMillis: number): Promise<void> {
    await this.store(this.buffer.due(nowMillis));
  }

  async flush(): Promise<void> {
    await this.store(this.buffer.drain());
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private async store(object: FirehoseObject | undefined): Promise<void> {
    if (object) this.written.push(await this.put(object));
  }

  /** Stores one object; returns where it went (for `written`). */
  protected abstract put(object: FirehoseObject): Promise<string>;
}
