import { Container } from 'inversify';
import { createConnectClient, createDynamoDbClient } from '../../../common/aws/clients';
import type { ConsumerConfig } from '../../../common/config/loadConfig';
import type { Logger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { createCheckpointStore } from '../checkpoint/createCheckpointStore';
import type { ConnectReader as ConnectReaderType } from '../connect/ConnectReader';
import { ConnectSnapshotSource } from '../connect/ConnectSnapshotSource';
import type { CheckpointStore } from '../checkpoint/types';
import { RtaClient } from '../delivery/RtaClient';
import { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import type { DeliveredState } from '../domain/agentState';
import type { StateDelivery } from '../delivery/types';
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
  store: CheckpointStore,
): Container {
  const c = new Container({ parent, defaultScope: 'Singleton' });
  c.bind(TYPES.CheckpointStore).toConstantValue(store);
  c.bind(TYPES.InitialDelivered).toConstantValue(initialDelivered);
  bindPipeline(c, 'one-shard');
  bindAgentStateSaver(c);
  // The child's pipeline serves this shard alone: it is its own catch-up gate, and the processor ends it.
  c.bind(TYPES.CatchUpGate).toDynamicValue((ctx) => ctx.get(TYPES.Pipeline));
  bindRecordProcessor(c, shardId, 'one-shard');
  return c;
}

/** The agent-state saver of the container's pipeline (its store and restored states are bound next to it). */
export function bindAgentStateSaver(c: Container): void {
  c.bind(AgentStateSaver).toDynamicValue((ctx) => {
    const shardId = ctx.get(TYPES.ShardId, { optional: true });
    const logger = ctx.get(TYPES.Logger);
    return new AgentStateSaver({
      pipeline: ctx.get(TYPES.Pipeline),
      store: ctx.get(TYPES.CheckpointStore),
      initialDelivered: ctx.get(TYPES.InitialDelivered),
      logger: shardId === undefined ? logger : logger.child({ shardId }),
    });
  });
}

/** Delivering at direct mode's shutdown leaves time to write the checkpoints of what WFM acknowledged. */
const CHECKPOINT_RESERVE_MILLIS = 2000;

/**
 * One shard's record processor, the same in both modes. `one-shard` (a KCL child): the pipeline and saver are the
 * shard's own, the processor ends them and publishes the shard's lag and checkpoint age, and shutdownRequested may
 * wait out the whole shutdown grace. `all-shards` (direct mode): they are shared and the runtime ends them; the
 * shards' processors share the shutdown budget, less a reserve for the checkpoints.
 */
export function bindRecordProcessor(c: Container, shardId: string, scope: 'all-shards' | 'one-shard'): void {
  const oneShard = scope === 'one-shard';
  c.bind(TYPES.ShardId).toConstantValue(shardId);
  c.bind(AgentEventRecordProcessor).toDynamicValue((ctx) => {
    const config = ctx.get(TYPES.Config);
    const shutdownMillis = config.ops.shutdownTimeoutMillis;
    return new AgentEventRecordProcessor({
      shardId,
      pipeline: ctx.get(TYPES.Pipeline),
      ownsPipeline: oneShard,
      catchUp: ctx.get(TYPES.CatchUpGate),
      saver: ctx.get(AgentStateSaver),
      logger: ctx.get(TYPES.Logger).child({ shardId }),
      shardMetrics: oneShard ? ctx.get(TYPES.Metrics) : undefined,
      shutdownFlushMillis: oneShard
        ? shutdownMillis
        : Math.max(shutdownMillis - CHECKPOINT_RESERVE_MILLIS, shutdownMillis / 2),
      maxRecords: config.kinesis.maxRecords,
      catchUpThresholdMillis: config.pipeline.catchUpThresholdMillis,
      signal: ctx.get(TYPES.StopSignal, { optional: true }),
    });
  });
  c.bind(TYPES.RecordProcessor).toService(AgentEventRecordProcessor);
}

/** The store a KCL child uses for its shard (the lease table belongs to the daemon; only agent states go here). */
export function kclShardStore(parent: Container, shardId: string): CheckpointStore {
  const config = parent.get(TYPES.Config);
  return createCheckpointStore({
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
