import { silentLogger } from '../../../../common/logging/logger';
import { MetricsRegistry } from '../../../../common/observability/metrics';
import { CheckpointError } from '../../../../consumer/src/checkpoint/RecordProcessorCheckpointer';
import { StoreCheckpointer } from '../../../../consumer/src/checkpoint/StoreCheckpointer';
import type { CheckpointCommit, CheckpointStore } from '../../../../consumer/src/checkpoint/types';
import { AgentEventRecordProcessor } from '../../../../consumer/src/processor/AgentEventRecordProcessor';
import { AgentStateSaver } from '../../../../consumer/src/processor/AgentStateSaver';
import { agentEvent, sequenceNumber } from '../../../helpers/agentEvents';
import { recordingPipeline } from '../../../helpers/recordingPipeline';

/** Direct mode: several shards' record processors over one pipeline, one agent-state saver, one checkpoint store. */
const A = 'shardId-000000000000';
const B = 'shardId-000000000001';
const T = 1_700_000_000_000;

function setup() {
  const journal: string[] = [];
  let failCommits = false;
  const store: CheckpointStore = {
    prepare: async () => undefined,
    loadCheckpoints: async () => new Map(),
    loadAgentStates: async () => [],
    commit: async (c: CheckpointCommit) => {
      if (failCommits) throw new Error('store unavailable');
      for (const s of c.agentStates) journal.push(`state:${s.userCode}=${s.stateCode}`);
      for (const cp of c.checkpoints) journal.push(`checkpoint:${cp.shardId}@${cp.sequenceNumber}`);
    },
  };
  const { pipeline, pipelineConfig, posted } = recordingPipeline({
    RTA_WINDOW_MS: '50',
    RTA_CATCH_UP_THRESHOLD_MS: '60000',
  });
  const saver = new AgentStateSaver({ pipeline, store, initialDelivered: [], logger: silentLogger });
  const checkpointer = new StoreCheckpointer({ store, checkpoints: new Map(), metrics: new MetricsRegistry() });
  const stop = new AbortController();
  const processor = (shardId: string) => {
    const p = new AgentEventRecordProcessor({
      shardId,
      pipeline,
      ownsPipeline: false,
      catchUp: pipeline,
      saver,
      logger: silentLogger,
      shutdownFlushMillis: 1000,
      catchUpThresholdMillis: pipelineConfig.catchUpThresholdMillis,
      signal: stop.signal,
      sleep: async () => undefined,
    });
    p.initialize(null);
    return p;
  };
  const batch = (shardId: string, n: number, agent: number, status: string, millisBehindLatest = 0) => ({
    millisBehindLatest,
    records: [
      {
        shardId,
        sequenceNumber: sequenceNumber(n),
        subSequenceNumber: 0,
        partitionKey: 'pk',
        data: Buffer.from(JSON.stringify(agentEvent({ agent, status, at: T + n }))),
      },
    ],
  });
  const done = () => {
    saver.stop();
    pipeline.abort();
  };
  return {
    journal,
    posted,
    pipeline,
    checkpointer,
    stop,
    processor,
    batch,
    done,
    failCommits: (v: boolean) => (failCommits = v),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('record processors sharing one pipeline (direct mode)', () => {
  test('a shard read to its end gets SHARD_END only once WFM acknowledged all of it, and the other shards keep flowing', async () => {
    // Prepare: shard B far behind holds every post
    const { journal, posted, pipeline, checkpointer, processor, batch, done } = setup();
    const a = processor(A);
    const b = processor(B);
    await a.processRecords(batch(A, 1, 1, 'Available'), checkpointer.forShard(A));
    await b.processRecords(batch(B, 1, 2, 'Break', 3_600_000), checkpointer.forShard(B));
    // Act
    let ended = false;
    const ending = a.shardEnded(checkpointer.forShard(A)).then(() => (ended = true));
    await sleep(100);
    const endedWhileHeld = ended;
    const journalWhileHeld = [...journal];
    await b.processRecords({ records: [], millisBehindLatest: 0 }, checkpointer.forShard(B));
    await ending;
    await b.processRecords(batch(B, 2, 2, 'Lunch'), checkpointer.forShard(B));
    await pipeline.flush();
    // Assess
    expect(endedWhileHeld).toBe(false);
    expect(journalWhileHeld.filter((j) => j.startsWith('checkpoint:'))).toEqual([]);
    const shardEnd = journal.indexOf(`checkpoint:${A}@SHARD_END`);
    expect(shardEnd).toBeGreaterThan(journal.indexOf('state:agent.1=Available'));
    expect(journal.indexOf('state:agent.1=Available')).toBeGreaterThanOrEqual(0);
    expect(posted.flatMap((p) => p.states)).toContainEqual({ userCode: 'agent.2', stateCode: 'Lunch' });
    done();
  });

  test('stopped while a shard waits at its end for WFM: no SHARD_END, the checkpoint stays at what WFM acknowledged', async () => {
    // Prepare: A's first record is delivered; then B far behind holds A's second
    const { journal, pipeline, checkpointer, stop, processor, batch, done } = setup();
    const a = processor(A);
    const b = processor(B);
    await a.processRecords(batch(A, 1, 1, 'Available'), checkpointer.forShard(A));
    await pipeline.flush();
    await b.processRecords(batch(B, 1, 2, 'Break', 3_600_000), checkpointer.forShard(B));
    await a.processRecords(batch(A, 2, 1, 'Lunch'), checkpointer.forShard(A));
    // Act
    const ending = a.shardEnded(checkpointer.forShard(A));
    await sleep(50);
    stop.abort();
    await ending;
    // Assess
    expect(journal.filter((j) => j.startsWith(`checkpoint:${A}`))).toEqual([`checkpoint:${A}@${sequenceNumber(1)}`]);
    expect(checkpointer.checkpointOf(A)).toBe(sequenceNumber(1));
    done();
  });

  test('two shards checkpointing share one saver: each changed agent is written once, before the checkpoints', async () => {
    // Prepare
    const { journal, pipeline, checkpointer, processor, batch, done } = setup();
    const a = processor(A);
    const b = processor(B);
    await a.processRecords(batch(A, 1, 1, 'Available'), checkpointer.forShard(A));
    await b.processRecords(batch(B, 1, 2, 'Break'), checkpointer.forShard(B));
    await pipeline.flush();
    // Act
    await Promise.all([
      a.processRecords({ records: [], millisBehindLatest: 0 }, checkpointer.forShard(A)),
      b.processRecords({ records: [], millisBehindLatest: 0 }, checkpointer.forShard(B)),
    ]);
    // Assess
    expect(journal.filter((j) => j.startsWith('state:')).sort()).toEqual([
      'state:agent.1=Available',
      'state:agent.2=Break',
    ]);
    const firstCheckpoint = journal.findIndex((j) => j.startsWith('checkpoint:'));
    expect(journal.slice(firstCheckpoint).every((j) => j.startsWith('checkpoint:'))).toBe(true);
    expect(checkpointer.checkpointOf(A)).toBe(sequenceNumber(1));
    expect(checkpointer.checkpointOf(B)).toBe(sequenceNumber(1));
    done();
  });
});

describe('StoreCheckpointer (direct mode’s checkpointer on the checkpoint store)', () => {
  test('null writes SHARD_END; a checkpoint never moves back; a store failure is a retryable CheckpointError', async () => {
    // Prepare
    const { journal, checkpointer, failCommits, done } = setup();
    const forA = checkpointer.forShard(A);
    // Act
    await forA.checkpoint(sequenceNumber(5));
    await forA.checkpoint(sequenceNumber(3));
    failCommits(true);
    const failure = await forA.checkpoint(sequenceNumber(6)).catch((e: unknown) => e);
    failCommits(false);
    await forA.checkpoint(null);
    // Assess
    expect(journal).toEqual([`checkpoint:${A}@${sequenceNumber(5)}`, `checkpoint:${A}@SHARD_END`]);
    expect(failure).toBeInstanceOf(CheckpointError);
    expect((failure as CheckpointError).retryable).toBe(true);
    expect((failure as CheckpointError).message).toContain('store unavailable');
    expect(checkpointer.checkpointOf(A)).toBe('SHARD_END');
    done();
  });
});
