import { Container } from 'inversify';
import { createKinesisClient } from '../../../common/aws/clients';
import { createCheckpointStore } from '../checkpoint/createCheckpointStore';
import { StoreCheckpointer } from '../checkpoint/StoreCheckpointer';
import { AgentEventRecordProcessor } from '../processor/AgentEventRecordProcessor';
import { AgentStateSaver } from '../processor/AgentStateSaver';
import { AllShardsCatchUpGate } from '../processor/CatchUpGate';
import { DirectConsumer } from '../runtime/direct/DirectConsumer';
import type { DirectRun, RestoredProgress } from '../runtime/direct/DirectRun';
import {
  bindAgentStateSaver,
  bindPipeline,
  bindRecordProcessor,
  createProcessContainer,
  type ProcessContainerOptions,
} from './containers';
import { TYPES } from './tokens';

/**
 * Direct mode: one process reads every shard, so the Kinesis client and the one store live here; the one pipeline
 * and what the shards share are built once the store was read (createDirectRun).
 */
export function createDirectContainer(options: ProcessContainerOptions): Container {
  const c = createProcessContainer(options);
  const { kinesis } = options.config;
  c.bind(TYPES.KinesisClient).toDynamicValue(() =>
    createKinesisClient({ region: kinesis.region, endpoint: kinesis.endpoint }),
  );
  c.bind(TYPES.CheckpointStore).toDynamicValue((ctx) =>
    createCheckpointStore({
      config: ctx.get(TYPES.Config).checkpoint,
      dynamoDb: () => ctx.get(TYPES.DynamoDbClient),
      workerId: options.workerId,
      ttlMillis: ctx.get(TYPES.Config).pipeline.agentEvictAfterMillis,
    }),
  );
  c.bind(TYPES.DirectRunFactory).toConstantValue((restored) => createDirectRun(c, restored));
  c.bind(DirectConsumer).toSelf();
  return c;
}

/**
 * The run container: the restored progress, the pipeline over every shard, its agent-state saver, the catch-up gate
 * across shards and the store's checkpointer; each shard's record processor lives in a shard container below it.
 */
export function createDirectRun(parent: Container, restored: RestoredProgress): DirectRun {
  const c = new Container({ parent, defaultScope: 'Singleton' });
  const shutdown = new AbortController();
  c.bind(TYPES.InitialDelivered).toConstantValue(restored.initialDelivered);
  c.bind(TYPES.Checkpoints).toConstantValue(restored.checkpoints);
  c.bind(TYPES.StopSignal).toConstantValue(shutdown.signal);
  bindPipeline(c, 'all-shards');
  bindAgentStateSaver(c);
  c.bind(AllShardsCatchUpGate).toDynamicValue(
    (ctx) =>
      new AllShardsCatchUpGate({
        pipeline: ctx.get(TYPES.Pipeline),
        catchUpThresholdMillis: ctx.get(TYPES.Config).pipeline.catchUpThresholdMillis,
        metrics: ctx.get(TYPES.Metrics),
      }),
  );
  c.bind(TYPES.CatchUpGate).toService(AllShardsCatchUpGate);
  c.bind(StoreCheckpointer).toDynamicValue(
    (ctx) =>
      new StoreCheckpointer({
        store: ctx.get(TYPES.CheckpointStore),
        checkpoints: ctx.get(TYPES.Checkpoints),
        metrics: ctx.get(TYPES.Metrics),
      }),
  );
  return {
    pipeline: c.get(TYPES.Pipeline),
    saver: c.get(AgentStateSaver),
    gate: c.get(AllShardsCatchUpGate),
    checkpointer: c.get(StoreCheckpointer),
    shutdown,
    createProcessor: (shardId) => {
      const shard = new Container({ parent: c, defaultScope: 'Singleton' });
      bindRecordProcessor(shard, shardId, 'all-shards');
      return shard.get(AgentEventRecordProcessor);
    },
  };
}
