import { inject, injectable, optional } from 'inversify';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ConsumerConfig } from '../../../../common/config/loadConfig';
import { ConfigError, errorMessage } from '../../../../common/errors';
import type { Logger } from '../../../../common/logging/logger';
import { ConsumerMetric } from '../../../../common/observability/metricNames';
import type { MetricsRegistry } from '../../../../common/observability/metrics';
import type { CheckpointStore } from '../../checkpoint/types';
import { ConnectReconciler } from '../../connect/ConnectReconciler';
import type { ConnectSnapshotSource } from '../../connect/ConnectSnapshotSource';
import { TYPES } from '../../ioc/tokens';
import { EmfPublisher } from '../../observability/EmfPublisher';
import { HealthServer } from '../../observability/HealthServer';
import { PollingScheduler } from '../../retrieval/polling/PollingScheduler';
import { connectSnapshotAtStart } from './connectAtStart';
import type { DirectRun, RestoredProgress } from './DirectRun';

/**
 * Direct mode in one process: restore progress, build the pipeline with the delivered agent states, read every
 * shard (the PollingScheduler runs one ShardConsumer per shard, driving the same AgentEventRecordProcessor a KCL
 * child runs, with a checkpointer on the checkpoint store), serve /healthz and /metrics, publish EMF metrics. One
 * pipeline, one agent-state saver and one catch-up gate serve every shard; this runtime ends them. The pipeline is
 * resolved only after the store was read (it needs the restored agent states).
 */
@injectable()
export class DirectConsumer {
  private scheduler: PollingScheduler | undefined;
  private stopping: Promise<void> | undefined;
  private stopHook: (() => Promise<void>) | undefined;
  healthPort: number | undefined;

  constructor(
    @inject(TYPES.Config) private readonly config: ConsumerConfig,
    @inject(TYPES.Logger) private readonly logger: Logger,
    @inject(TYPES.Metrics) private readonly metrics: MetricsRegistry,
    @inject(TYPES.CheckpointStore) private readonly store: CheckpointStore,
    @inject(TYPES.KinesisClient) private readonly client: KinesisClient,
    @inject(TYPES.DirectRunFactory)
    private readonly createRun: (restored: RestoredProgress) => DirectRun,
    @inject(TYPES.ConnectSnapshotSource)
    @optional()
    private readonly connect: ConnectSnapshotSource | undefined,
  ) {}

  async start(): Promise<void> {
    const { config, logger, metrics, store } = this;
    const { kinesis } = config;
    if (!kinesis.streamName && !kinesis.streamArn)
      throw new ConfigError('invalid configuration: KINESIS_STREAM_ARN or KINESIS_STREAM_NAME is required');
    await store.prepare();
    const checkpoints = await store.loadCheckpoints();
    const initialDelivered = await store.loadAgentStates();
    const restored = { checkpoints, initialDelivered };
    const { pipeline, saver, gate, checkpointer, createProcessor, shutdown } = this.createRun(restored);
    logger.info('progress restored', { shards: checkpoints.size, agents: initialDelivered.length });

    const stream = kinesis.streamArn ? { StreamARN: kinesis.streamArn } : { StreamName: kinesis.streamName };
    const startAt = await connectSnapshotAtStart({
      connect: this.connect,
      client: this.client,
      stream,
      pipeline,
      restored,
      logger,
    });

    const scheduler = new PollingScheduler({
      client: this.client,
      stream,
      startAt,
      kinesis,
      gate,
      checkpointer,
      checkpoints,
      createProcessor,
      logger,
      metrics,
    });
    this.scheduler = scheduler;
    const reconciler = this.connect
      ? new ConnectReconciler({
          source: this.connect,
          pipeline,
          intervalMillis: config.connect.reconcileIntervalMillis,
          logger,
          metrics,
        })
      : undefined;
    const emf = config.ops.emfEnabled
      ? new EmfPublisher({ registry: metrics, intervalMillis: config.ops.metricsIntervalMillis })
      : undefined;
    const health = config.ops.healthPort
      ? await HealthServer.start({
          port: config.ops.healthPort,
          series: () => metrics.snapshot(),
          health: () => {
            const reading = scheduler.health();
            const wfm = pipeline.health();
            metrics.gauge(ConsumerMetric.CheckpointAgeSeconds, checkpointer.checkpointAgeSeconds);
            return {
              healthy: reading.healthy && wfm.healthy,
              reason: reading.reason ?? wfm.reason,
              details: { shards: reading.shards, catchingUp: pipeline.isCatchingUp() },
            };
          },
        })
      : undefined;
    this.healthPort = health?.port;
    await scheduler.start();
    reconciler?.start();

    this.stopHook = async () => {
      const deadline = Date.now() + config.ops.shutdownTimeoutMillis;
      const left = () => Math.max(0, deadline - Date.now());
      logger.info('stopping: no more reads; delivering and checkpointing what was read');
      shutdown.abort();
      // Each shard's shutdownRequested delivers (within the budget) and checkpoints what WFM acknowledged.
      const stopped = await within(scheduler.stop(), left());
      if (!stopped)
        logger.warn('shards not checkpointed within the stop budget; unacknowledged records will be re-read');
      await within(reconciler?.stop() ?? Promise.resolve(), left());
      await within(pipeline.flush(), left());
      await within(saver.save(), left());
      saver.stop();
      await within(pipeline.shutdown(), Math.min(left(), 2000)).catch((e: unknown) =>
        logger.warn('pipeline shutdown', { error: errorMessage(e) }),
      );
      pipeline.abort();
      emf?.stop();
      await health?.stop();
      this.client.destroy();
      logger.info('stopped');
    };
  }

  /** SIGTERM path: stop reading, flush, deliver, checkpoint, within the shutdown budget. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.stopHook ? this.stopHook() : Promise.resolve();
    return this.stopping;
  }
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
