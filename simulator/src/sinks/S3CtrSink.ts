import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FirehoseObjectBuffer, type FirehoseBufferOptions, type FirehoseObject } from './FirehoseObjectBuffer';
import type { CtrSink } from './types';

/** CTRs delivered to an S3 bucket as Firehose would: concatenated objects under `<prefix>YYYY/MM/DD/HH/`. */
export class S3CtrSink implements CtrSink {
  private readonly buffer: FirehoseObjectBuffer;
  readonly written: string[] = [];

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    options: FirehoseBufferOptions,
    private readonly onObject?: (key: string, records: number) => void,
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
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: object.key,
        Body: Buffer.from(object.body),
        ContentType: 'application/octet-stream',
      }),
    );
    this.written.push(object.key);
    this.onObject?.(object.key, object.records);
  }
}
