import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConsumerConfig } from '../../../../common/config/loadConfig';
import { silentLogger } from '../../../../common/logging/logger';
import { FileProgressStore } from '../../../../consumer/src/checkpoint/FileProgressStore';
import { createProcessContainer, createShardContainer, kclShardStore } from '../../../../consumer/src/ioc/containers';
import { createDirectContainer } from '../../../../consumer/src/ioc/directContainer';
import { TYPES } from '../../../../consumer/src/ioc/tokens';
import { AgentStatePipeline } from '../../../../consumer/src/pipeline/AgentStatePipeline';
import { AgentEventRecordProcessor } from '../../../../consumer/src/processor/AgentEventRecordProcessor';
import { DirectConsumer } from '../../../../consumer/src/runtime/direct/DirectConsumer';

const config = () =>
  loadConsumerConfig({
    KINESIS_STREAM_NAME: 's',
    STATE_DIR: mkdtempSync(join(tmpdir(), 'cwfm-ioc-')),
    RTA_SNAPSHOT_INTERVAL_MS: '60000',
  });

describe('composition root', () => {
  test('process container (direct mode): the consumer with @inject parameters, one pipeline, one file store', () => {
    // Prepare
    const c = createDirectContainer({ config: config(), logger: silentLogger, workerId: 'w' });
    // Act
    const consumer = c.get(DirectConsumer);
    const pipeline = c.get(TYPES.PipelineFactory)([
      { userCode: 'a', stateCode: 'Break', agentArn: 'arn:a', eventTimeMillis: 1 },
    ]);
    // Assess
    expect(consumer).toBeInstanceOf(DirectConsumer);
    expect(pipeline).toBeInstanceOf(AgentStatePipeline);
    expect(c.get(TYPES.Pipeline)).toBe(pipeline);
    expect(pipeline.deliveredStates().map((s) => s.userCode)).toEqual(['a']);
    expect(c.get(TYPES.ProgressStore)).toBeInstanceOf(FileProgressStore);
    pipeline.abort();
  });

  test('shard containers (KCL mode) share the process services and get their own pipeline, store and processor', () => {
    // Prepare
    const parent = createProcessContainer({ config: config(), logger: silentLogger, workerId: 'w' });
    // Act
    const a = createShardContainer(parent, 'shardId-000000000000', [], kclShardStore(parent, 'shardId-000000000000'));
    const b = createShardContainer(parent, 'shardId-000000000001', [], kclShardStore(parent, 'shardId-000000000001'));
    // Assess
    expect(a.get(TYPES.RecordProcessor)).toBeInstanceOf(AgentEventRecordProcessor);
    expect(a.get(TYPES.Pipeline)).not.toBe(b.get(TYPES.Pipeline));
    expect(a.get(TYPES.StateDelivery)).toBe(b.get(TYPES.StateDelivery));
    expect(a.get(TYPES.ShardId)).toBe('shardId-000000000000');
    expect(() => parent.get(TYPES.Pipeline)).toThrow();
    a.get(TYPES.Pipeline).abort();
    b.get(TYPES.Pipeline).abort();
  });
});
