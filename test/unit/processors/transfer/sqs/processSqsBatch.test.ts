import { silentLogger } from '../../../../../common/logging/logger';
import { MetricsRegistry } from '../../../../../common/observability/metrics';
import type { ObjectRef } from '../../../../../processors/transfer/src/s3/S3ObjectStore';
import { processSqsBatch } from '../../../../../processors/transfer/src/sqs/processSqsBatch';
import { s3EventBody, sqsEvent } from '../../../../helpers/ctrS3Events';

describe('processSqsBatch', () => {
  it('hands back, unstarted, the messages it has no time left for', async () => {
    // Prepare
    const started: ObjectRef[] = [];
    let remaining = 120000;
    const transfer = async (ref: ObjectRef): Promise<void> => {
      started.push(ref);
      remaining = 30000;
    };

    // Act
    const response = await processSqsBatch(
      sqsEvent([s3EventBody('b', 'one'), s3EventBody('b', 'two'), s3EventBody('b', 'three')]),
      transfer,
      {
        logger: silentLogger,
        metrics: new MetricsRegistry(),
        remainingMillis: () => remaining,
        stopBeforeTimeoutMillis: 60000,
      },
    );

    // Assess
    expect(started.map((r) => r.key)).toEqual(['one']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
  });

  it('reports a message failed if any of its objects failed, and keeps going', async () => {
    const metrics = new MetricsRegistry();
    const transfer = async (ref: ObjectRef): Promise<void> => {
      if (ref.key === 'bad') throw new Error('sftp down');
    };
    const response = await processSqsBatch(sqsEvent([s3EventBody('b', 'bad'), s3EventBody('b', 'good')]), transfer, {
      logger: silentLogger,
      metrics,
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    expect(metrics.total('TransferFailures')).toBe(1);
  });
});
