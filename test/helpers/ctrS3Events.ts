import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** The body S3 puts on SQS for ObjectCreated (keys form-encoded: space as `+`). */
export function s3EventBody(bucket: string, key: string, eventName = 'ObjectCreated:Put'): string {
  const encoded = encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-01-05T10:00:00.000Z',
        eventName,
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encoded, size: 1 },
        },
      },
    ],
  });
}

/** What S3 sends once when a notification is configured. */
export const s3TestEventBody = (bucket: string): string =>
  JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-01-05T10:00:00.000Z', Bucket: bucket });

/** A Lambda SQS event-source batch. */
export function sqsEvent(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i): SQSRecord => ({
      messageId: `m-${i}`,
      receiptHandle: `rh-${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:transfer',
      awsRegion: 'us-east-1',
    })),
  };
}
