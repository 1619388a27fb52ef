import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../../../../common/logging/logger';
import type { Metrics } from '../../../../common/observability/metrics';
import { toTransferError } from '../errors';
import { handleMessage, type TransferFn } from './processSqsBatch';

export interface DrainOptions {
  client: SQSClient;
  queueUrl: string;
  /** Long-poll wait (max 20 s); the first empty receive ends the drain. */
  waitTimeSeconds: number;
  /** 0: the queue's own visibility timeout. */
  visibilityTimeoutSeconds: number;
  /** Stop taking messages when less than this is left (one object must fit in what remains). */
  stopBeforeTimeoutMillis: number;
  remainingMillis: () => number;
  logger: Logger;
  metrics: Metrics;
}

export interface DrainResult {
  received: number;
  deleted: number;
  failed: number;
  stoppedBy: 'empty' | 'time';
}

/**
 * The scheduled mode: long-poll the queue and work until it is empty or time runs short. A message is deleted only
 * after every object it announces is on the SFTP server; a failed one simply becomes visible again after its
 * visibility timeout, counts a receive, and reaches the dead-letter queue through the queue's redrive policy.
 */
export async function drainQueue(transfer: TransferFn, o: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { received: 0, deleted: 0, failed: 0, stoppedBy: 'empty' };
  for (;;) {
    const left = o.remainingMillis() - o.stopBeforeTimeoutMillis;
    if (left <= 0) {
      result.stoppedBy = 'time';
      break;
    }
    const wait = Math.min(o.waitTimeSeconds, Math.floor(left / 1000));
    const out = await o.client
      .send(
        new ReceiveMessageCommand({
          QueueUrl: o.queueUrl,
          // One at a time: a message waiting behind a long object would outlive its visibility timeout.
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: wait,
          VisibilityTimeout: o.visibilityTimeoutSeconds > 0 ? o.visibilityTimeoutSeconds : undefined,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      )
      .catch((e: unknown) => {
        throw toTransferError(e, 'ReceiveMessage');
      });
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    for (const [i, m] of messages.entries()) {
      if (o.remainingMillis() <= o.stopBeforeTimeoutMillis) {
        // Not started: they reappear after the visibility timeout, untouched.
        o.logger.info('time is short; leaving messages for the next run', { left: messages.length - i });
        result.stoppedBy = 'time';
        return result;
      }
      result.received++;
      const id = m.MessageId ?? '';
      const ok = await handleMessage(m.Body ?? '', id, transfer, o);
      if (!ok) {
        result.failed++;
        continue;
      }
      try {
        await o.client.send(new DeleteMessageCommand({ QueueUrl: o.queueUrl, ReceiptHandle: m.ReceiptHandle }));
        result.deleted++;
      } catch (e) {
        // Delivered but not deleted: the message comes back and the object's transferred mark makes it a no-op.
        o.logger.warn('delivered message could not be deleted', {
          messageId: id,
          error: toTransferError(e, 'DeleteMessage').message,
        });
      }
    }
  }
  o.logger.info('drain finished', { ...result });
  return result;
}
