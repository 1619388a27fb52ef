import { Container } from 'inversify';
import { createConnectClient, createDynamoDbClient } from '../../../common/aws/clients';
import type { ConsumerConfig } from '../../../common/config/loadConfig';
import type { Logger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { createProgressStore } from '../checkpoint/createProgressStore';
import type { ConnectReader as ConnectReaderType } from '../connect/ConnectReader';
import { ConnectSnapshotSource } from '../connect/ConnectSnapshotSource';
import type { ProgressStore } from '../checkpoint/types';
import { RtaClient } from '../delivery/RtaClient';
import { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import type { DeliveredState, StateDelivery } from '../pipeline/types';
import { AgentEventRecordProcessor } from '../processor/AgentEventRecordProcessor';
import { AgentStateSaver } from '../processor/AgentStateSaver';
import { TYPES } from './tokens';

export interface ProcessContainerOptions {
  config: ConsumerConfig;
  logger: Logger;
  workerId: string;
  metrics?: MetricsRegistry;
  /** Replaces the RtaClient (benchmarks). */
  delivery?: StateDelivery;
}

/**
 * The process lifetime: configuration, logger, metrics, SDK clients (built on first use), WFM delivery. KCL mode
 * adds one shard container per child (createShardContainer); direct mode adds its bindings in directContainer.ts,
 * which a KCL child never loads (it has no use for the Kinesis SDK).
 */
export function createProcessContainer(options: ProcessContainerOptions): Container {
  const { config } = options;
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind(TYPES.Config).toConstantValue(config);
  c.bind(TYPES.Logger).toConstantValue(options.logger);
  c.bind(TYPES.Metrics).toConstantValue(options.metrics ?? new MetricsRegistry());
  c.bind(TYPES.WorkerId).toConstantValue(options.workerId);
  c.bind(TYPES.StateDelivery).toDynamicValue(() => options.delivery ?? new RtaClient(config.rta));
  c.bind(TYPES.DynamoDbClient).toDynamicValue(() =>
    createDynamoDbClient({ region: config.checkpoint.region, endpoint: config.checkpoint.endpoint }),
  );
  const { connect } = config;
  if (connect.instanceId) {
    const instanceId = connect.instanceId;
    c.bind(TYPES.ConnectSnapshotSource).toDynamicValue((ctx) => {
      // Loaded only when configured: a KCL child without Connect stays free of the Connect SDK.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ConnectReader } = require('../connect/ConnectReader') as { ConnectReader: typeof ConnectReaderType };
      return new ConnectSnapshotSource(
        new ConnectReader({
          client: createConnectClient({ region: connect.region, endpoint: connect.endpoint }),
          instanceId,
          requestsPerSecond: connect.requestsPerSecond,
          maxAttempts: connect.maxAttempts,
          logger: ctx.get(TYPES.Logger),
          metrics: ctx.get(TYPES.Metrics),
        }),
        config.rta,
      );
    });
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
  bindPipeline(c, 'one-shard');
  c.bind(AgentStateSaver).toDynamicValue(
    (ctx) =>
      new AgentStateSaver({
        pipeline: ctx.get(TYPES.Pipeline),
        store: ctx.get(TYPES.ProgressStore),
        initialDelivered,
        logger: ctx.get(TYPES.Logger).child({ shardId }),
      }),
  );
  // The child's pipeline serves this shard alone: it is its own catch-up gate, and the processor ends it.
  c.bind(AgentEventRecordProcessor).toDynamicValue((ctx) => {
    const config = ctx.get(TYPES.Config);
    const pipeline = ctx.get(TYPES.Pipeline);
    return new AgentEventRecordProcessor({
      shardId,
      pipeline,
      ownsPipeline: true,
      catchUp: pipeline,
      saver: ctx.get(AgentStateSaver),
      logger: ctx.get(TYPES.Logger).child({ shardId }),
      shardMetrics: ctx.get(TYPES.Metrics),
      shutdownFlushMillis: config.ops.shutdownTimeoutMillis,
      maxRecords: config.kinesis.maxRecords,
      catchUpThresholdMillis: config.pipeline.catchUpThresholdMillis,
    });
  });
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
    ttlMillis: config.pipeline.agentEvictAfterMillis,
  });
}

/**
 * A KCL child's pipeline sees one shard. No periodic snapshot there (it would log out the agents of every other
 * shard), and a smaller EventId memory: one shard's repeats arrive within seconds, and every child's megabytes
 * count once per lease.
 */
const SHARD_RECENT_EVENT_IDS = 10_000;

export function bindPipeline(c: Container, scope: 'all-shards' | 'one-shard' = 'all-shards'): void {
  c.bind(TYPES.Pipeline).toDynamicValue((ctx) => {
    const config = ctx.get(TYPES.Config);
    const oneShard = scope === 'one-shard';
    return new AgentStatePipeline({
      rta: oneShard ? { ...config.rta, snapshotIntervalMillis: 0 } : config.rta,
      pipeline: config.pipeline,
      delivery: ctx.get(TYPES.StateDelivery),
      logger: ctx.get(TYPES.Logger),
      metrics: ctx.get(TYPES.Metrics),
      initialDelivered: ctx.get(TYPES.InitialDelivered, { optional: true }) ?? [],
      recentEventIds: oneShard ? SHARD_RECENT_EVENT_IDS : undefined,
    });
  });
}
