import type { Container } from 'inversify';
import type { ConsumerConfig } from '../../../../common/config/loadConfig';
import { ConfigError, errorMessage } from '../../../../common/errors';
import { ConsumerMetric } from '../../../../common/observability/metricNames';
import { TYPES } from '../../ioc/tokens';
import { EmfPublisher } from '../../observability/EmfPublisher';
import { HealthServer } from '../../observability/HealthServer';
import { ProgressCommitter } from '../../processor/ProgressCommitter';
import { PollingScheduler } from './PollingScheduler';

export interface DirectConsumer {
  /** SIGTERM path: stop reading, flush, deliver, checkpoint, within the shutdown budget. */
  stop(): Promise<void>;
  readonly healthPort: number | undefined;
  readonly scheduler: PollingScheduler;
}

/**
 * Direct mode in one process: restore progress, build the pipeline with the delivered agent states, read every
 * shard, checkpoint what WFM acknowledged, serve /healthz and /metrics, publish EMF metrics.
 */
export async function runDirectConsumer(container: Container): Promise<DirectConsumer> {
  const config: ConsumerConfig = container.get(TYPES.Config);
  const logger = container.get(TYPES.Logger);
  const metrics = container.get(TYPES.Metrics);
  const { kinesis } = config;
  if (!kinesis.streamName && !kinesis.streamArn)
    throw new ConfigError('invalid configuration: KINESIS_STREAM_ARN or KINESIS_STREAM_NAME is required');
  const store = container.get(TYPES.ProgressStore);
  await store.prepare();
  const checkpoints = await store.loadCheckpoints();
  const initialDelivered = await store.loadAgentStates();
  container.bind(TYPES.InitialDelivered).toConstantValue(initialDelivered);
  const pipeline = container.get(TYPES.Pipeline);
  logger.info('progress restored', { shards: checkpoints.size, agents: initialDelivered.length });

  const committer = new ProgressCommitter({ pipeline, store, checkpoints, initialDelivered, logger, metrics });
  const scheduler = new PollingScheduler({
    client: container.get(TYPES.KinesisClient),
    stream: kinesis.streamArn ? { StreamARN: kinesis.streamArn } : { StreamName: kinesis.streamName },
    kinesis,
    pipeline,
    pipelineConfig: config.pipeline,
    committer,
    checkpoints,
    logger,
    metrics,
  });
  const emf = config.ops.emfEnabled
    ? new EmfPublisher({ registry: metrics, intervalMillis: config.ops.metricsIntervalMillis })
    : undefined;
  const health = config.ops.healthPort
    ? await HealthServer.start({
        port: config.ops.healthPort,
        registry: metrics,
        health: () => {
          const reading = scheduler.health();
          const wfm = pipeline.health();
          metrics.gauge(ConsumerMetric.CheckpointAgeSeconds, committer.checkpointAgeSeconds);
          return {
            healthy: reading.healthy && wfm.healthy,
            reason: reading.reason ?? wfm.reason,
            details: { shards: reading.shards, catchingUp: pipeline.isCatchingUp() },
          };
        },
      })
    : undefined;
  await scheduler.start();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const deadline = Date.now() + config.ops.shutdownTimeoutMillis;
      const left = () => Math.max(0, deadline - Date.now());
      logger.info('stopping: no more reads; delivering and checkpointing what was read');
      await scheduler.stop();
      const flushed = await within(pipeline.flush(), left());
      if (!flushed) logger.warn('WFM did not acknowledge everything in time; unacknowledged records will be re-read');
      await within(committer.commit(), left());
      committer.stop();
      await within(pipeline.shutdown(), Math.min(left(), 2000)).catch((e: unknown) =>
        logger.warn('pipeline shutdown', { error: errorMessage(e) }),
      );
      pipeline.abort();
      emf?.stop();
      await health?.stop();
      container.get(TYPES.KinesisClient).destroy();
      logger.info('stopped');
    })());
  return { stop, healthPort: health?.port, scheduler };
}

async function within(promise: Promise<unknown>, millis: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), millis)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
