import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConsumerConfig } from '../../../../common/config/loadConfig';
import { silentLogger } from '../../../../common/logging/logger';
import { FileCheckpointStore } from '../../../../consumer/src/checkpoint/FileCheckpointStore';
import { createProcessContainer, createShardContainer, kclShardStore } from '../../../../consumer/src/ioc/containers';
import { createDirectContainer } from '../../../../consumer/src/ioc/directContainer';
import { TYPES } from '../../../../consumer/src/ioc/tokens';
import { AgentStatePipeline } from '../../../../consumer/src/pipeline/AgentStatePipeline';
import { AgentEventRecordProcessor } from '../../../../consumer/src/processor/AgentEventRecordProcessor';
import { AllShardsCatchUpGate } from '../../../../consumer/src/processor/CatchUpGate';
import { DirectConsumer } from '../../../../consumer/src/runtime/direct/DirectConsumer';

const config = () =>
  loadConsumerConfig({
    KINESIS_STREAM_NAME: 's',
    STATE_DIR: mkdtempSync(join(tmpdir(), 'cwfm-ioc-')),
    RTA_SNAPSHOT_INTERVAL_MS: '60000',
  });

describe('composition root', () => {
  test('process container (direct mode): the consumer with @inject parameters, one file store; after restore, one pipeline with the restored states and a processor per shard', () => {
    // Prepare
    const c = createDirectContainer({ config: config(), logger: silentLogger, workerId: 'w' });
    // Act
    const consumer = c.get(DirectConsumer);
    const run = c.get(TYPES.DirectRunFactory)({
      checkpoints: new Map([
        ['shardId-000000000000', { shardId: 'shardId-000000000000', sequenceNumber: '7', subSequenceNumber: 0 }],
      ]),
      initialDelivered: [{ userCode: 'a', stateCode: 'Break', agentArn: 'arn:a', eventTimeMillis: 1 }],
    });
    const first = run.createProcessor('shardId-000000000000');
    const second = run.createProcessor('shardId-000000000001');
    // Assess
    expect(consumer).toBeInstanceOf(DirectConsumer);
    expect(run.pipeline).toBeInstanceOf(AgentStatePipeline);
    expect(run.pipeline.deliveredStates().map((s) => s.userCode)).toEqual(['a']);
    expect(run.checkpointer.checkpointOf('shardId-000000000000')).toBe('7');
    expect(c.get(TYPES.CheckpointStore)).toBeInstanceOf(FileCheckpointStore);
    expect(run.gate).toBeInstanceOf(AllShardsCatchUpGate);
    expect(first).toBeInstanceOf(AgentEventRecordProcessor);
    expect(second).not.toBe(first);
    expect(run.createProcessor('shardId-000000000000')).not.toBe(first);
    expect(() => c.get(TYPES.Pipeline)).toThrow();
    run.saver.stop();
    run.pipeline.abort();
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
    expect(a.get(TYPES.CatchUpGate)).toBe(a.get(TYPES.Pipeline));
    expect(() => parent.get(TYPES.Pipeline)).toThrow();
    a.get(TYPES.Pipeline).abort();
    b.get(TYPES.Pipeline).abort();
  });
});
