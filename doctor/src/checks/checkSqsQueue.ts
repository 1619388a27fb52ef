import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type CheckResult, fail, pass } from '../CheckResult';
import { describeAwsError, remedyFor } from '../describeAwsError';

/** The transfer's queue (drain mode): reachable, how much is waiting, and whether failures go to a dead-letter queue. */
export async function checkSqsQueue(queueUrl: string, sqs: SQSClient): Promise<CheckResult> {
  try {
    const attributes =
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'RedrivePolicy'],
          }),
        )
      ).Attributes ?? {};
    const waiting = attributes.ApproximateNumberOfMessages ?? '?';
    const inFlight = attributes.ApproximateNumberOfMessagesNotVisible ?? '?';
    if (!attributes.RedrivePolicy)
      return fail(
        'sqs queue',
        `${queueUrl} reachable (${waiting} waiting, ${inFlight} in flight) but has no dead-letter queue`,
        'set a RedrivePolicy (infra/terraform does) so objects that keep failing are kept, not retried forever',
      );
    const dlq = (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
    return pass(
      'sqs queue',
      `${queueUrl} reachable, ${waiting} waiting, ${inFlight} in flight, dead-letter queue ${dlq}`,
    );
  } catch (error) {
    const f = describeAwsError(error);
    return fail(
      'sqs queue',
      `${queueUrl}: ${f.message}`,
      remedyFor(
        f,
        'sqs:GetQueueAttributes (and sqs:ReceiveMessage, sqs:DeleteMessage)',
        'check QUEUE_URL and AWS_REGION',
      ),
    );
  }
}
