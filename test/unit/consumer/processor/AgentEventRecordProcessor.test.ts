import { silentLogger } from '../../../../common/logging/logger';
import { MetricsRegistry } from '../../../../common/observability/metrics';
import { CheckpointError } from '../../../../consumer/src/checkpoint/RecordProcessorCheckpointer';
import type { CheckpointCommit, CheckpointStore } from '../../../../consumer/src/checkpoint/types';
import { AgentEventRecordProcessor } from '../../../../consumer/src/processor/AgentEventRecordProcessor';
import { AgentStateSaver } from '../../../../consumer/src/processor/AgentStateSaver';
import { agentEvent, sequenceNumber } from '../../../helpers/agentEvents';
import { recordingPipeline } from '../../../helpers/recordingPipeline';

const SHARD = 'shardId-000000000000';

function setup(checkpointReplies: (string | null)[] = []) {
  const journal: string[] = [];
  const store: CheckpointStore = {
    prepare: async () => undefined,
    loadCheckpoints: async () => new Map(),
    loadAgentStates: async () => [],
    commit: async (c: CheckpointCommit) => {
      journal.push(`states:${c.agentStates.map((s) => `${s.userCode}=${s.stateCode}`).join(',')}`);
    },
  };
  const processorMetrics = new MetricsRegistry();
  const { pipeline, pipelineConfig, posted } = recordingPipeline({ RTA_WINDOW_MS: '50' });
  const processor = new AgentEventRecordProcessor({
    shardId: SHARD,
    pipeline,
    ownsPipeline: true,
    catchUp: pipeline,
    saver: new AgentStateSaver({ pipeline, store, initialDelivered: [], logger: silentLogger }),
    logger: silentLogger,
    shardMetrics: processorMetrics,
    shutdownFlushMillis: 1000,
    catchUpThresholdMillis: pipelineConfig.catchUpThresholdMillis,
    sleep: async () => undefined,
  });
  const checkpointer = {
    checkpoint: async (seq: string | null) => {
      const reply = checkpointReplies.shift() ?? null;
      journal.push(`checkpoint:${seq}${reply ? `:${reply}` : ''}`);
      if (reply) throw new CheckpointError(reply, seq);
    },
  };
  const record = (n: number, status: string) => ({
    shardId: SHARD,
    sequenceNumber: sequenceNumber(n),
    subSequenceNumber: 0,
    partitionKey: 'pk',
    data: Buffer.from(JSON.stringify(agentEvent({ agent: 1, status, at: 1_700_000_000_000 + n }))).toString('base64'),
  });
  return { processor, pipeline, checkpointer, journal, posted, record, metrics: processorMetrics };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AgentEventRecordProcessor', () => {
  test('persists the delivered agent states before it checkpoints what WFM acknowledged', async () => {
    // Prepare
    const { processor, pipeline, checkpointer, journal, record } = setup();
    processor.initialize('TRIM_HORIZON');
    // Act
    await processor.processRecords(
      { records: [record(1, 'Available'), record(2, 'Break')], millisBehindLatest: 0 },
      checkpointer,
    );
    await pipeline.flush();
    await processor.processRecords({ records: [], millisBehindLatest: 0 }, checkpointer);
    // Assess
    const firstCheckpoint = journal.findIndex((j) => j.startsWith('checkpoint:'));
    expect(journal[firstCheckpoint]).toBe(`checkpoint:${sequenceNumber(2)}`);
    expect(journal.slice(0, firstCheckpoint)).toContain('states:agent.1=Break');
    await pipeline.shutdown();
  });

  test('publishes the lag per shard and without dimensions (the lag alarm reads the maximum over every child)', async () => {
    // Prepare
    const { processor, pipeline, checkpointer, metrics } = setup();
    processor.initialize('TRIM_HORIZON');
    // Act
    await processor.processRecords({ records: [], millisBehindLatest: 4200 }, checkpointer);
    // Assess
    const lag = metrics.snapshot().filter((s) => s.name === 'MillisBehindLatest');
    expect(lag.map((s) => [s.dimensions, s.value])).toEqual(
      expect.arrayContaining([
        [{ ShardId: SHARD }, 4200],
        [{}, 4200],
      ]),
    );
    expect(lag).toHaveLength(2);
    await pipeline.shutdown();
  });

  test('a throttled checkpoint is retried; ShutdownException stops checkpointing for good', async () => {
    // Prepare
    const { processor, pipeline, checkpointer, journal, record } = setup([
      'ThrottlingException',
      null,
      'ShutdownException',
    ]);
    processor.initialize('TRIM_HORIZON');
    // Act
    await processor.processRecords({ records: [record(1, 'Available')], millisBehindLatest: 0 }, checkpointer);
    await pipeline.flush();
    await processor.processRecords({ records: [record(2, 'Lunch')], millisBehindLatest: 0 }, checkpointer);
    await pipeline.flush();
    await processor.processRecords({ records: [record(3, 'Break')], millisBehindLatest: 0 }, checkpointer);
    await pipeline.flush();
    await sleep(20);
    await processor.processRecords({ records: [], millisBehindLatest: 0 }, checkpointer);
    // Assess
    expect(journal.filter((j) => j.startsWith('checkpoint:'))).toEqual([
      `checkpoint:${sequenceNumber(1)}:ThrottlingException`,
      `checkpoint:${sequenceNumber(1)}`,
      `checkpoint:${sequenceNumber(2)}:ShutdownException`,
    ]);
    pipeline.abort();
  });

  test('while the shard is far behind nothing is posted or checkpointed; shardEnded delivers and ends with SHARD_END', async () => {
    // Prepare
    const { processor, checkpointer, journal, posted, record } = setup();
    processor.initialize('TRIM_HORIZON');
    // Act
    await processor.processRecords({ records: [record(1, 'Available')], millisBehindLatest: 3_600_000 }, checkpointer);
    await sleep(150);
    await processor.processRecords({ records: [], millisBehindLatest: 3_600_000 }, checkpointer);
    const postedWhileBehind = posted.length;
    await processor.shardEnded(checkpointer);
    // Assess
    expect(postedWhileBehind).toBe(0);
    expect(posted.flatMap((b) => b.states)).toEqual([{ userCode: 'agent.1', stateCode: 'Available' }]);
    expect(journal.filter((j) => j.startsWith('checkpoint:'))).toEqual(['checkpoint:null']);
  });
});
