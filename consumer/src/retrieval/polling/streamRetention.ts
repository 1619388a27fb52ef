import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { StreamRef } from './ShardLister';

/** Kinesis keeps at least 24 hours: the assumption when the stream cannot be described. */
export const MIN_RETENTION_MILLIS = 24 * 3600 * 1000;

/** The stream's retention period (DescribeStreamSummary), or the 24-hour minimum when it cannot be read. */
export async function streamRetentionMillis(client: KinesisClient, stream: StreamRef): Promise<number> {
  try {
    const out = await client.send(new DescribeStreamSummaryCommand(stream));
    const hours = out.StreamDescriptionSummary?.RetentionPeriodHours;
    return typeof hours === 'number' && hours > 0 ? hours * 3600 * 1000 : MIN_RETENTION_MILLIS;
  } catch {
    return MIN_RETENTION_MILLIS;
  }
}
