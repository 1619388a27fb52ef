import { Container } from 'inversify';
import { createDynamoDbClient, createKinesisClient } from '../../../common/aws/clients';
import type { ConsumerConfig } from '../../../common/config/loadConfig';
import type { Logger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { createProgressStore } from '../checkpoint/createProgressStore';
import type { ProgressStore } from '../checkpoint/types';
import { RtaClient } from '../delivery/RtaClient';
import { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import type { DeliveredState, StateDelivery } from '../pipeline/types';
import { AgentEventRecordProcessor } from '../processor/AgentEventRecordProcessor';
import { DirectConsumer } from '../retrieval/polling/DirectConsumer';
import { TYPES } from './tokens';

export interface ProcessContainerOptions {
  config: ConsumerConfig;
  logger: Logger;
  workerId: string;
  metrics?: MetricsRegistry;
  /** Replaces the RtaClient (benchmarks). */
  delivery?: StateDelivery;
  /** KCL mode: one child per shard, so the progress store and the pipeline live in the shard container. */
  kclMode?: boolean;
}

/**
 * The process lifetime: configuration, logger, metrics, SDK clients, WFM delivery. In direct mode the one
 * pipeline and the one progress store (all shards) live here too.
 */
export function createProcessContainer(options: ProcessContainerOptions): Container {
  const { config } = options;
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind(TYPES.Config).toConstantValue(config);
  c.bind(TYPES.Logger).toConstantValue(options.logger);
  c.bind(TYPES.Metrics).toConstantValue(options.metrics ?? new MetricsRegistry());
  c.bind(TYPES.WorkerId).toConstantValue(options.workerId);
  c.bind(TYPES.StateDelivery).toDynamicValue(() => options.delivery ?? new RtaClient(config.rta));
  c.bind(TYPES.KinesisClient).toDynamicValue(() =>
    createKinesisClient({ region: config.kinesis.region, endpoint: config.kinesis.endpoint }),
  );
  c.bind(TYPES.DynamoDbClient).toDynamicValue(() =>
    createDynamoDbClient({ region: config.checkpoint.region, endpoint: config.checkpoint.endpoint }),
  );
  if (!options.kclMode) {
    c.bind(TYPES.ProgressStore).toDynamicValue((ctx) => progressStore(ctx.get(TYPES.Config), ctx, options.workerId));
    bindPipeline(c);
    c.bind(TYPES.PipelineFactory).toFactory((ctx) => (initialDelivered: readonly DeliveredState[]) => {
      c.bind(TYPES.InitialDelivered).toConstantValue(initialDelivered);
      return ctx.get(TYPES.Pipeline);
    });
    c.bind(DirectConsumer).toSelf();
  }
  return c;
}

/**
 * The shard lifetime (KCL mode: a child process serves one shard). `initialDelivered` is loaded by the caller
 * from the store before the pipeline is built, so a restart posts nothing already delivered.
 */
export function createShardContainer(
  parent: Container,
  shardId: string,
  initialDelivered: readonly DeliveredState[],
  store: ProgressStore,
): Container {
  const c = new Container({ parent, defaultScope: 'Singleton' });
  c.bind(TYPES.ShardId).toConstantValue(shardId);
  c.bind(TYPES.ProgressStore).toConstantValue(store);
  c.bind(TYPES.InitialDelivered).toConstantValue(initialDelivered);
  bindPipeline(c, { snapshots: false });
  c.bind(AgentEventRecordProcessor).toDynamicValue(
    (ctx) =>
      new AgentEventRecordProcessor({
        shardId,
        pipeline: ctx.get(TYPES.Pipeline),
        store: ctx.get(TYPES.ProgressStore),
        initialDelivered,
        logger: ctx.get(TYPES.Logger).child({ shardId }),
        metrics: ctx.get(TYPES.Metrics),
        shutdownFlushMillis: ctx.get(TYPES.Config).ops.shutdownTimeoutMillis,
        maxRecords: ctx.get(TYPES.Config).kinesis.maxRecords,
        catchUpThresholdMillis: ctx.get(TYPES.Config).pipeline.catchUpThresholdMillis,
      }),
  );
  c.bind(TYPES.RecordProcessor).toService(AgentEventRecordProcessor);
  return c;
}

/** The store a KCL child uses for its shard (the lease table belongs to the daemon; only agent states go here). */
export function kclShardStore(parent: Container, shardId: string): ProgressStore {
  const config = parent.get(TYPES.Config);
  return createProgressStore({
    config: config.checkpoint,
    dynamoDb: () => parent.get(TYPES.DynamoDbClient),
    workerId: parent.get(TYPES.WorkerId),
    kclShardId: shardId,
  });
}

function progressStore(config: ConsumerConfig, ctx: { get: <T>(id: symbol) => T }, workerId: string): ProgressStore {
  return createProgressStore({
    config: config.checkpoint,
    dynamoDb: () => ctx.get(TYPES.DynamoDbClient as symbol),
    workerId,
  });
}

function bindPipeline(c: Container, options: { snapshots: boolean } = { snapshots: true }): void {
  c.bind(TYPES.Pipeline).toDynamicValue((ctx) => {
    const config = ctx.get(TYPES.Config);
    return new AgentStatePipeline({
      // Periodic snapshots only where one process sees every shard: a KCL child's snapshot would log out the rest.
      rta: options.snapshots ? config.rta : { ...config.rta, snapshotIntervalMillis: 0 },
      pipeline: config.pipeline,
      delivery: ctx.get(TYPES.StateDelivery),
      logger: ctx.get(TYPES.Logger),
      metrics: ctx.get(TYPES.Metrics),
      initialDelivered: ctx.get(TYPES.InitialDelivered, { optional: true }) ?? [],
    });
  });
}
