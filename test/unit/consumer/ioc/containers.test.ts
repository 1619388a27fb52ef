import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConsumerConfig } from '../../../../common/config/loadConfig';
import { silentLogger } from '../../../../common/logging/logger';
import { FileProgressStore } from '../../../../consumer/src/checkpoint/FileProgressStore';
import { createProcessContainer, createShardContainer, kclShardStore } from '../../../../consumer/src/ioc/containers';
import { TYPES } from '../../../../consumer/src/ioc/tokens';
import { AgentStatePipeline } from '../../../../consumer/src/pipeline/AgentStatePipeline';
import { AgentEventRecordProcessor } from '../../../../consumer/src/processor/AgentEventRecordProcessor';

const config = () =>
  loadConsumerConfig({
    KINESIS_STREAM_NAME: 's',
    STATE_DIR: mkdtempSync(join(tmpdir(), 'cwfm-ioc-')),
    RTA_SNAPSHOT_INTERVAL_MS: '60000',
  });

describe('composition root', () => {
  test('process container (direct mode): one pipeline and one file store for the process', () => {
    // Prepare
    const c = createProcessContainer({ config: config(), logger: silentLogger, workerId: 'w' });
    c.bind(TYPES.InitialDelivered).toConstantValue([]);
    // Act
    const pipeline = c.get(TYPES.Pipeline);
    // Assess
    expect(pipeline).toBeInstanceOf(AgentStatePipeline);
    expect(c.get(TYPES.Pipeline)).toBe(pipeline);
    expect(c.get(TYPES.ProgressStore)).toBeInstanceOf(FileProgressStore);
    pipeline.abort();
  });

  test('shard containers (KCL mode) share the process services and get their own pipeline, store and processor', () => {
    // Prepare
    const parent = createProcessContainer({ config: config(), logger: silentLogger, workerId: 'w', kclMode: true });
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
