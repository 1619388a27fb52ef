import { readRtaConfig } from '../../../../common/config/rtaConfig';
import { RetryableError } from '../../../../common/errors';
import { silentLogger } from '../../../../common/logging/logger';
import { MetricsRegistry } from '../../../../common/observability/metrics';
import { CONNECT_SOURCE } from '../../../../consumer/src/domain/agentState';
import { ConnectReconciler } from '../../../../consumer/src/connect/ConnectReconciler';
import { snapshotReason } from '../../../../consumer/src/connect/snapshotReason';
import { AgentStatePipeline } from '../../../../consumer/src/pipeline/AgentStatePipeline';
import type { CodedState } from '../../../../consumer/src/delivery/CoalescingDelivery';
import type { DeliveredState } from '../../../../consumer/src/domain/agentState';
import type { StateBatch } from '../../../../consumer/src/delivery/types';
import { agentArn, agentEvent, sequenceNumber, userCode } from '../../../helpers/agentEvents';

const rta = readRtaConfig({});
let pipelines: AgentStatePipeline[] = [];
afterEach(() => {
  for (const p of pipelines) p.abort();
  pipelines = [];
});

function harness(initialDelivered: DeliveredState[] = [], failures = 0) {
  const posts: StateBatch[] = [];
  let failing = failures;
  let retry: () => void = () => undefined;
  const pipeline = new AgentStatePipeline({
    rta,
    pipeline: { windowMillis: 60_000, catchUpThresholdMillis: 60_000 },
    delivery: {
      post: async (batch) => {
        if (failing-- > 0) throw new RetryableError('WFM unavailable');
        posts.push(batch);
      },
    },
    logger: silentLogger,
    metrics: new MetricsRegistry(),
    initialDelivered,
    // Back-off ends when the test says so.
    sleep: () => new Promise<void>((resolve) => (retry = resolve)),
  });
  pipelines.push(pipeline);
  let seq = 0;
  return {
    pipeline,
    posts,
    retry: () => retry(),
    push: (agent: number, status: string, at: number) =>
      pipeline.push({
        sourceId: 'shardId-0',
        sequenceNumber: sequenceNumber(++seq),
        data: Buffer.from(JSON.stringify(agentEvent({ agent, status, at }))),
      }),
  };
}

const truthOf = (entries: [number, string][], at: number): CodedState[] =>
  entries.map(([agent, stateCode]) => ({
    userCode: userCode(agent),
    stateCode,
    loggedOut: false,
    agentArn: agentArn(agent),
    eventTimeMillis: at,
    sourceId: CONNECT_SOURCE,
    sequenceNumber: '0',
  }));

const asMap = (batch: StateBatch | undefined) => new Map(batch?.states.map((s) => [s.userCode, s.stateCode]));

describe('Amazon Connect truth in the pipeline', () => {
  test('the snapshot is one IsSnapshot post of the truth; an agent whose stream event is newer keeps the stream state', async () => {
    // Prepare: WFM fails the first attempt; meanwhile agent 2's stream event (newer than the snapshot) and agent 3's
    // (older) are read
    const h = harness([], 1);
    const t = Date.now();
    const delivered = h.pipeline.postConnectSnapshot(
      truthOf(
        [
          [1, 'Available'],
          [2, 'Available'],
          [3, 'Available'],
        ],
        t,
      ),
      t,
    );
    // Act
    h.push(2, 'Break', t + 1000);
    h.push(3, 'Lunch', t - 1000);
    void h.pipeline.flush();
    await new Promise((r) => setImmediate(r));
    h.retry();
    await delivered;
    await h.pipeline.flush();
    // Assess
    expect(h.posts).toHaveLength(1);
    expect(h.posts[0]!.isSnapshot).toBe(true);
    expect(asMap(h.posts[0])).toEqual(
      new Map([
        [userCode(1), 'Available'],
        [userCode(2), 'Break'],
        [userCode(3), 'Available'],
      ]),
    );
  });

  test('after the snapshot, a stream event older than it is ignored and a newer one is posted', async () => {
    // Prepare
    const h = harness();
    const t = Date.now();
    await h.pipeline.postConnectSnapshot(truthOf([[1, 'Available']], t), t);
    // Act
    h.push(1, 'Training', t - 5000);
    await h.pipeline.flush();
    const afterOld = h.posts.length;
    h.push(1, 'Break', t + 5000);
    await h.pipeline.flush();
    // Assess
    expect(afterOld).toBe(1);
    expect(h.posts).toHaveLength(2);
    expect(h.posts[1]).toEqual({ isSnapshot: false, states: [{ userCode: userCode(1), stateCode: 'Break' }] });
  });

  test('a Connect snapshot leaves out (logs out) agents WFM held but Connect no longer reports', async () => {
    // Prepare
    const t = Date.now();
    const h = harness([
      { userCode: userCode(9), stateCode: 'Available', agentArn: agentArn(9), eventTimeMillis: t - 1 },
    ]);
    // Act
    await h.pipeline.postConnectSnapshot(truthOf([[1, 'Break']], t), t);
    // Assess
    expect(asMap(h.posts[0])).toEqual(new Map([[userCode(1), 'Break']]));
    expect(h.pipeline.deliveredStates().find((s) => s.userCode === userCode(9))?.stateCode).toBe('LOGGED_OUT');
  });

  test('reconciliation posts only the differences, logs out agents Connect no longer reports, and skips newer stream states', async () => {
    // Prepare: 1 matches, 2 drifted behind the pipeline's back, 3 gone from Connect, 4 changed by a newer event
    const h = harness();
    const t = Date.now();
    h.push(1, 'Available', t - 10_000);
    h.push(2, 'Available', t - 10_000);
    h.push(3, 'Available', t - 10_000);
    h.push(4, 'Available', t + 1000);
    await h.pipeline.flush();
    const postsBefore = h.posts.length;
    // Act
    const corrections = await h.pipeline.reconcileWithConnect(
      truthOf(
        [
          [1, 'Available'],
          [2, 'Break'],
          [4, 'Lunch'],
        ],
        t,
      ),
      t,
    );
    // Assess
    expect(corrections.map((c) => [c.state.userCode, c.was, c.state.stateCode])).toEqual([
      [userCode(2), 'Available', 'Break'],
      [userCode(3), 'Available', 'LOGGED_OUT'],
    ]);
    expect(h.posts.slice(postsBefore)).toEqual([
      {
        isSnapshot: false,
        states: [
          { userCode: userCode(2), stateCode: 'Break' },
          { userCode: userCode(3), stateCode: 'LOGGED_OUT' },
        ],
      },
    ]);
  });

  test('the reconciler counts every corrected agent and skips while the reader catches up', async () => {
    // Prepare
    const h = harness();
    const t = Date.now();
    h.push(5, 'Available', t - 10_000);
    await h.pipeline.flush();
    const metrics = new MetricsRegistry();
    const reconciler = new ConnectReconciler({
      source: { take: async () => ({ takenAtMillis: t, states: truthOf([[5, 'Meeting']], t), calls: 3 }) },
      pipeline: h.pipeline,
      intervalMillis: 0,
      logger: silentLogger,
      metrics,
    });
    // Act
    const corrected = await reconciler.runOnce();
    h.pipeline.reportLag('shardId-0', 10 * 60_000);
    const whileBehind = await reconciler.runOnce();
    // Assess
    expect(corrected?.map((c) => c.state.stateCode)).toEqual(['Meeting']);
    expect(metrics.snapshot().find((s) => s.name === 'AgentsReconciled')?.value).toBe(1);
    expect(whileBehind).toBeUndefined();
  });
});

describe('when a start needs the Connect snapshot', () => {
  const day = 24 * 3600 * 1000;
  const state = (at: number): DeliveredState => ({
    userCode: 'a',
    stateCode: 'x',
    agentArn: 'arn',
    eventTimeMillis: at,
  });
  const checkpoint = new Map([['shardId-0', { shardId: 'shardId-0', sequenceNumber: '1', subSequenceNumber: 0 }]]);

  test('first start, nothing delivered yet, and beyond retention; a recent checkpoint needs none', () => {
    const now = Date.now();
    const reason = (checkpoints: typeof checkpoint, agentStates: DeliveredState[]) =>
      snapshotReason({ checkpoints, agentStates, retentionMillis: day, nowMillis: now });
    expect(reason(new Map(), [])).toBe('first start');
    expect(reason(checkpoint, [])).toBe('nothing delivered yet');
    expect(reason(checkpoint, [state(now - day - 60_000)])).toBe('beyond retention');
    expect(reason(checkpoint, [state(now - day - 60_000), state(now - 3600_000)])).toBeUndefined();
  });
});
