import { MalformedMessageError } from '../errors';
import type { ObjectRef } from '../s3/S3ObjectStore';

/**
 * The objects an SQS message announces. S3 sends `s3:TestEvent` when the notification is configured: no objects.
 * Keys arrive URL-encoded with `+` for a space. Only ObjectCreated events count; an SNS envelope is unwrapped.
 */
export function s3EventRecords(body: string): ObjectRef[] {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    throw new MalformedMessageError('SQS message body is not JSON');
  }
  const m = message as { Type?: unknown; Message?: unknown; Event?: unknown; Records?: unknown };
  if (m?.Type === 'Notification' && typeof m.Message === 'string') return s3EventRecords(m.Message);
  if (m?.Event === 's3:TestEvent') return [];
  if (!Array.isArray(m?.Records)) throw new MalformedMessageError('SQS message is not an S3 event notification');
  const refs: ObjectRef[] = [];
  for (const r of m.Records as unknown[]) {
    const rec = r as {
      eventSource?: unknown;
      eventName?: unknown;
      s3?: { bucket?: { name?: unknown }; object?: { key?: unknown } };
    };
    if (rec?.eventSource !== 'aws:s3' || typeof rec.eventName !== 'string')
      throw new MalformedMessageError('not an S3 event record');
    if (!rec.eventName.startsWith('ObjectCreated:')) continue;
    const bucket = rec.s3?.bucket?.name;
    const key = rec.s3?.object?.key;
    if (typeof bucket !== 'string' || typeof key !== 'string')
      throw new MalformedMessageError('S3 event without bucket or key');
    refs.push({ bucket, key: decodeS3Key(key) });
  }
  return refs;
}

/** S3 event keys are form-encoded: `+` is a space, `%2B` a plus. */
export function decodeS3Key(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new MalformedMessageError(`S3 event key is not valid URL encoding: ${encoded}`);
  }
}
