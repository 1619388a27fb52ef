import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BufferedCtrSink } from './BufferedCtrSink';
import type { FirehoseBufferOptions, FirehoseObject } from './FirehoseObjectBuffer';

/** CTRs delivered to an S3 bucket as Firehose would: concatenated objects under `<prefix>YYYY/MM/DD/HH/`. */
export class S3CtrSink extends BufferedCtrSink {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    options: FirehoseBufferOptions,
    private readonly onObject?: (key: string, records: number) => void,
  ) {
    super(options);
  }

  protected async put(object: FirehoseObject): Promise<string> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: object.key,
        Body: Buffer.from(object.body),
        ContentType: 'application/octet-stream',
      }),
    );
    this.onObject?.(object.key, object.records);
    return object.key;
  }
}
