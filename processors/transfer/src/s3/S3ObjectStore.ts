import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { toTransferError } from '../errors';

/** The tag that marks an object as delivered; its value is the delivery time and remote name. */
export const TRANSFERRED_TAG = 'connect-wfm-transferred';
const MAX_TAGS = 10;

export interface ObjectRef {
  bucket: string;
  key: string;
}

/** S3 tag values allow letters, digits, spaces and `_ . : / = + - @`, up to 256 characters. */
export const tagValue = (value: string): string => value.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, '_').slice(0, 256);

/** The transfer's view of S3: stream an object, read and set the transferred mark, write quarantine objects. */
export class S3ObjectStore {
  constructor(private readonly client: S3Client) {}

  /** The object's bytes as a stream (never buffered whole). */
  async open(ref: ObjectRef): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      return out.Body as Readable;
    } catch (e) {
      throw toTransferError(e, `GetObject s3://${ref.bucket}/${ref.key}`);
    }
  }

  /** The transferred mark, or null if the object was never delivered. */
  async transferredMark(ref: ObjectRef): Promise<string | null> {
    const tags = await this.tags(ref);
    return tags.find((t) => t.Key === TRANSFERRED_TAG)?.Value ?? null;
  }

  /**
   * Adds the mark, keeping the object's other tags (PutObjectTagging replaces the whole set). Returns false when the
   * object already has the S3 maximum of 10 other tags: then only DynamoDB de-duplication protects against replays.
   */
  async markTransferred(ref: ObjectRef, value: string): Promise<boolean> {
    const others = (await this.tags(ref)).filter((t) => t.Key !== TRANSFERRED_TAG);
    if (others.length >= MAX_TAGS) return false;
    try {
      await this.client.send(
        new PutObjectTaggingCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          Tagging: { TagSet: [...others, { Key: TRANSFERRED_TAG, Value: tagValue(value) }] },
        }),
      );
      return true;
    } catch (e) {
      throw toTransferError(e, `PutObjectTagging s3://${ref.bucket}/${ref.key}`);
    }
  }

  async put(ref: ObjectRef, body: Buffer, metadata: Record<string, string>): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          Body: body,
          ContentType: 'application/octet-stream',
          Metadata: metadata,
        }),
      );
    } catch (e) {
      throw toTransferError(e, `PutObject s3://${ref.bucket}/${ref.key}`);
    }
  }

  private async tags(ref: ObjectRef): Promise<Tag[]> {
    try {
      const out = await this.client.send(new GetObjectTaggingCommand({ Bucket: ref.bucket, Key: ref.key }));
      return out.TagSet ?? [];
    } catch (e) {
      throw toTransferError(e, `GetObjectTagging s3://${ref.bucket}/${ref.key}`);
    }
  }
}
