import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Logger } from '../../../../common/logging/logger';
import { TransferMetric } from '../../../../common/observability/metricNames';
import type { Metrics } from '../../../../common/observability/metrics';
import type { ObjectRef } from '../s3/S3ObjectStore';
import { describeFailure } from '../transferObject';
import { s3EventRecords } from './s3EventRecords';

export type TransferFn = (ref: ObjectRef) => Promise<unknown>;

/**
 * The event-source mode: Lambda hands over a batch and deletes the messages not reported as failed
 * (ReportBatchItemFailures). Messages are handled one after another on one SFTP connection; any object that was not
 * delivered reports its message as failed, so SQS redelivers it and, after maxReceiveCount, moves it to the DLQ.
 */
export async function processSqsBatch(
  event: SQSEvent,
  transfer: TransferFn,
  deps: { logger: Logger; metrics: Metrics; remainingMillis?: () => number; stopBeforeTimeoutMillis?: number },
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  const timeIsShort = (): boolean =>
    deps.remainingMillis !== undefined && deps.remainingMillis() <= (deps.stopBeforeTimeoutMillis ?? 0);
  for (const message of event.Records) {
    // Not started: handed back now rather than lost to a function timeout (which would retry the whole batch).
    if (timeIsShort()) {
      deps.logger.warn('time is short; message handed back to the queue', { messageId: message.messageId });
      batchItemFailures.push({ itemIdentifier: message.messageId });
      continue;
    }
    if (!(await handleMessage(message.body, message.messageId, transfer, deps)))
      batchItemFailures.push({ itemIdentifier: message.messageId });
  }
  return { batchItemFailures };
}

/** True when every object of the message was delivered (or there was nothing to deliver). Never throws. */
export async function handleMessage(
  body: string,
  messageId: string,
  transfer: TransferFn,
  deps: { logger: Logger; metrics: Metrics },
): Promise<boolean> {
  let refs: ObjectRef[];
  try {
    refs = s3EventRecords(body);
  } catch (e) {
    deps.metrics.count(TransferMetric.TransferFailures);
    deps.logger.error('message is not an S3 event; left for the dead-letter queue', {
      messageId,
      ...describeFailure({ bucket: '', key: '' }, e),
    });
    return false;
  }
  if (refs.length === 0)
    deps.logger.info('message announces no new object (s3:TestEvent or not ObjectCreated)', { messageId });
  let ok = true;
  for (const ref of refs) {
    try {
      await transfer(ref);
    } catch (e) {
      ok = false;
      deps.metrics.count(TransferMetric.TransferFailures);
      deps.logger.error('object not delivered; message kept for retry', { messageId, ...describeFailure(ref, e) });
    }
  }
  return ok;
}
