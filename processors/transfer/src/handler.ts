/**
 * The transfer Lambda (Node.js 22). Two invocation shapes, chosen by the deployment:
 *  - an SQS event-source batch of S3 event notifications → `{ batchItemFailures }`;
 *  - a scheduled event (EventBridge) → drain QUEUE_URL until it is empty or the remaining time runs short.
 * Configuration is read once per container; clients are reused across warm invocations.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processEnv } from '../../../common/config/env';
import { readTransferConfig } from '../../../common/config/transferConfig';
import { errorMessage } from '../../../common/errors';
import { createLogger } from '../../../common/logging/logger';
import { emfLines } from '../../../common/observability/emf';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { createAwsClients } from './awsClients';
import type { DrainResult } from './sqs/drainQueue';
import { TransferRuntime } from './TransferRuntime';

const logger = createLogger({ fields: { component: 'transfer' } });
let runtime: TransferRuntime | null = null;
let metrics = new MetricsRegistry();

function runtimeFor(): TransferRuntime {
  if (!runtime) {
    const config = readTransferConfig(processEnv());
    runtime = new TransferRuntime(config, createAwsClients(config.endpoints), logger, {
      count: (n, v, d) => metrics.count(n, v, d),
      gauge: (n, v, d) => metrics.gauge(n, v, d),
      timing: (n, v, d) => metrics.timing(n, v, d),
    });
  }
  return runtime;
}

const isSqsEvent = (event: unknown): event is SQSEvent =>
  Array.isArray((event as SQSEvent)?.Records) && (event as SQSEvent).Records.every((r) => r.eventSource === 'aws:sqs');

export async function handler(event: unknown, context: Context): Promise<SQSBatchResponse | DrainResult> {
  metrics = new MetricsRegistry();
  try {
    let rt: TransferRuntime;
    try {
      rt = runtimeFor();
    } catch (e) {
      // Names the bad variables only (never their values); the invocation fails and SQS keeps the messages.
      logger.error('transfer configuration is invalid', { error: errorMessage(e) });
      throw e;
    }
    if (isSqsEvent(event)) return await rt.processBatch(event, () => context.getRemainingTimeInMillis());
    return await rt.drain(() => context.getRemainingTimeInMillis());
  } finally {
    for (const line of emfLines(metrics, { FunctionName: context.functionName })) process.stdout.write(line + '\n');
  }
}
