import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ServiceIdentifier } from 'inversify';
import type { ConsumerConfig } from '../../../common/config/loadConfig';
import type { Logger } from '../../../common/logging/logger';
import type { MetricsRegistry } from '../../../common/observability/metrics';
import type { CheckpointStore, ShardCheckpoint } from '../checkpoint/types';
import type { ConnectSnapshotSource } from '../connect/ConnectSnapshotSource';
import type { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import type { DeliveredState } from '../domain/agentState';
import type { StateDelivery } from '../delivery/types';
import type { AgentEventRecordProcessor } from '../processor/AgentEventRecordProcessor';
import type { CatchUpGate } from '../processor/CatchUpGate';
import type { DirectRun, RestoredProgress } from '../runtime/direct/DirectRun';

/** Typed tokens of the consumer's composition root; the token and the interface share a name where they can. */
export const TYPES = {
  Config: Symbol.for('connect-wfm.ConsumerConfig') as ServiceIdentifier<ConsumerConfig>,
  Logger: Symbol.for('connect-wfm.Logger') as ServiceIdentifier<Logger>,
  Metrics: Symbol.for('connect-wfm.MetricsRegistry') as ServiceIdentifier<MetricsRegistry>,
  WorkerId: Symbol.for('connect-wfm.WorkerId') as ServiceIdentifier<string>,
  StateDelivery: Symbol.for('connect-wfm.StateDelivery') as ServiceIdentifier<StateDelivery>,
  KinesisClient: Symbol.for('connect-wfm.KinesisClient') as ServiceIdentifier<KinesisClient>,
  DynamoDbClient: Symbol.for('connect-wfm.DynamoDbClient') as ServiceIdentifier<DynamoDBClient>,
  CheckpointStore: Symbol.for('connect-wfm.CheckpointStore') as ServiceIdentifier<CheckpointStore>,
  /** Agent states restored from the store (loaded before the pipeline is built). */
  InitialDelivered: Symbol.for('connect-wfm.InitialDelivered') as ServiceIdentifier<readonly DeliveredState[]>,
  Pipeline: Symbol.for('connect-wfm.AgentStatePipeline') as ServiceIdentifier<AgentStatePipeline>,
  /** Checkpoints restored from the store (direct mode: the scheduler starts each shard after its own). */
  Checkpoints: Symbol.for('connect-wfm.Checkpoints') as ServiceIdentifier<ReadonlyMap<string, ShardCheckpoint>>,
  /** Where shard processors report their lag: the KCL child's own pipeline, or direct mode's gate across shards. */
  CatchUpGate: Symbol.for('connect-wfm.CatchUpGate') as ServiceIdentifier<CatchUpGate>,
  /** Direct mode's stop (a shard waiting at its end for WFM gives up). */
  StopSignal: Symbol.for('connect-wfm.StopSignal') as ServiceIdentifier<AbortSignal>,
  /** Builds direct mode's run (pipeline, saver, gate, checkpointer, shard processors) once the store was read. */
  DirectRunFactory: Symbol.for('connect-wfm.DirectRunFactory') as ServiceIdentifier<
    (restored: RestoredProgress) => DirectRun
  >,
  /** Bound only when CONNECT_INSTANCE_ID/ARN is set: Amazon Connect's own view of current agent states. */
  ConnectSnapshotSource: Symbol.for('connect-wfm.ConnectSnapshotSource') as ServiceIdentifier<ConnectSnapshotSource>,
  ShardId: Symbol.for('connect-wfm.ShardId') as ServiceIdentifier<string>,
  RecordProcessor: Symbol.for('connect-wfm.AgentEventRecordProcessor') as ServiceIdentifier<AgentEventRecordProcessor>,
} as const;
