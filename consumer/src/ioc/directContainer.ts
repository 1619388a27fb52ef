import type { Container } from 'inversify';
import { createKinesisClient } from '../../../common/aws/clients';
import { createProgressStore } from '../checkpoint/createProgressStore';
import type { DeliveredState } from '../pipeline/types';
import { DirectConsumer } from '../runtime/direct/DirectConsumer';
import { bindPipeline, createProcessContainer, type ProcessContainerOptions } from './containers';
import { TYPES } from './tokens';

/** Direct mode: one process reads every shard, so the Kinesis client, the one pipeline and the one store live here. */
export function createDirectContainer(options: ProcessContainerOptions): Container {
  const c = createProcessContainer(options);
  const { kinesis } = options.config;
  c.bind(TYPES.KinesisClient).toDynamicValue(() =>
    createKinesisClient({ region: kinesis.region, endpoint: kinesis.endpoint }),
  );
  c.bind(TYPES.ProgressStore).toDynamicValue((ctx) =>
    createProgressStore({
      config: ctx.get(TYPES.Config).checkpoint,
      dynamoDb: () => ctx.get(TYPES.DynamoDbClient),
      workerId: options.workerId,
      ttlMillis: ctx.get(TYPES.Config).pipeline.agentEvictAfterMillis,
    }),
  );
  bindPipeline(c);
  c.bind(TYPES.PipelineFactory).toFactory((ctx) => (initialDelivered: readonly DeliveredState[]) => {
    c.bind(TYPES.InitialDelivered).toConstantValue(initialDelivered);
    return ctx.get(TYPES.Pipeline);
  });
  c.bind(DirectConsumer).toSelf();
  return c;
}
