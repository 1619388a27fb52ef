import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRtaConfig } from '../../../common/config/rtaConfig';
import { type Logger, silentLogger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { FileCheckpointStore } from '../../../consumer/src/checkpoint/FileCheckpointStore';
import { RtaClient } from '../../../consumer/src/delivery/RtaClient';
import { AgentStatePipeline } from '../../../consumer/src/pipeline/AgentStatePipeline';
import type { DeliveredState } from '../../../consumer/src/domain/agentState';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { type AgentEventSpec, agentArn, agentEvent, sequenceNumber, userCode } from '../../helpers/agentEvents';

/**
 * Issue 12: what Teleopti shows converges to Amazon Connect's truth. Each test reproduces one defect's scenario
 * against the Teleopti-contract receiver and asserts WFM's final state per agent.
 */
const KEY = 'the-key';
const SOURCE = 'connect';
const WINDOW = 40;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'events', 'agent-events');

interface Harness {
  receiver: RtaReceiver;
  pipeline: AgentStatePipeline;
  metrics: MetricsRegistry;
  warnings: string[];
  /** Pushes one event as the next record of `shard` (default shard-0). */
  push(spec: AgentEventSpec, shard?: string): void;
  pushRaw(event: Record<string, unknown>, shard?: string): void;
  lastSequence(shard?: string): string;
}

let receivers: RtaReceiver[] = [];
let pipelines: AgentStatePipeline[] = [];
afterEach(async () => {
  for (const p of pipelines) p.abort();
  for (const r of receivers) await r.stop();
  receivers = [];
  pipelines = [];
});

async function receiverFor(knownUserCodes?: string[]): Promise<RtaReceiver> {
  const receiver = await RtaReceiver.start({ authKey: KEY, sourceIds: [SOURCE], knownUserCodes });
  receivers.push(receiver);
  return receiver;
}

function pipelineFor(
  receiver: RtaReceiver,
  env: Record<string, string> = {},
  initialDelivered: DeliveredState[] = [],
  clock?: { now: number },
): Harness {
  const rta = readRtaConfig({
    WFM_RTA_URL: receiver.url,
    WFM_AUTH_KEY: KEY,
    WFM_SOURCE_ID: SOURCE,
    RTA_REQUEST_TIMEOUT_MS: '300',
    RTA_RETRY_BASE_MS: '5',
    RTA_RETRY_MAX_MS: '40',
    ...env,
  });
  const metrics = new MetricsRegistry();
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (msg: string) => void warnings.push(msg), child: () => logger };
  const pipeline = new AgentStatePipeline({
    rta,
    pipeline: { windowMillis: WINDOW, catchUpThresholdMillis: 60_000, agentEvictAfterMillis: 3600_000 },
    delivery: new RtaClient(rta),
    logger,
    metrics,
    initialDelivered,
    now: clock && (() => clock.now),
  });
  pipelines.push(pipeline);
  const counters = new Map<string, number>();
  const next = (shard: string): string => {
    counters.set(shard, (counters.get(shard) ?? 0) + 1);
    return sequenceNumber(counters.get(shard)!);
  };
  const h: Harness = {
    receiver,
    pipeline,
    metrics,
    warnings,
    push: (spec, shard = 'shard-0') => h.pushRaw(agentEvent(spec), shard),
    pushRaw: (event, shard = 'shard-0') =>
      pipeline.push({ sourceId: shard, sequenceNumber: next(shard), data: Buffer.from(JSON.stringify(event)) }),
    lastSequence: (shard = 'shard-0') => sequenceNumber(counters.get(shard) ?? 0),
  };
  return h;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Saves `before`'s delivered states to a file store, stops it hard, and starts a pipeline restored from the store. */
async function restartedFromStore(before: Harness): Promise<Harness> {
  const store = new FileCheckpointStore({ stateDir: mkdtempSync(join(tmpdir(), 'cwfm-conv-')) });
  await store.commit({ agentStates: before.pipeline.deliveredStates(), checkpoints: [] });
  before.pipeline.abort();
  return pipelineFor(before.receiver, {}, await store.loadAgentStates());
}
const wfm = (h: Harness, agent: number | string): string | undefined =>
  h.receiver.currentStates().get(typeof agent === 'number' ? userCode(agent) : agent.toLowerCase());

describe('what Teleopti shows converges to Amazon Connect’s truth', () => {
  it('a post WFM applied but answered after the timeout is re-sent when the agent returns to its acknowledged state', async () => {
    // Prepare: agent 1 delivered as Available
    const h = pipelineFor(await receiverFor());
    h.push({ agent: 1, status: 'Available', at: T0 });
    await h.pipeline.flush();
    // Act: Break is applied by WFM, but the answer comes after the client's timeout (300 ms); meanwhile the agent
    // goes back to Available, which equals the last acknowledged state
    h.receiver.injectFaults({ delayAfterApplyMillis: 600, count: 1 });
    h.push({ agent: 1, status: 'Break', at: T0 + 1000 });
    h.pipeline.flush().catch(() => undefined);
    for (let i = 0; i < 50 && wfm(h, 1) !== 'Break'; i++) await sleep(10);
    expect(wfm(h, 1)).toBe('Break');
    h.push({ agent: 1, status: 'Available', at: T0 + 2000 });
    await h.pipeline.flush();
    // Assess
    expect(wfm(h, 1)).toBe('Available');
    expect(h.pipeline.acknowledged('shard-0')).toBe(h.lastSequence());
    expect(h.metrics.total(ConsumerMetric.DriftCorrected)).toBe(1);
    expect(h.warnings).toContain('re-send changed agents WFM may have held in another state');
  });

  it('an unknown outcome survives a restart: the restored pipeline re-sends the agent’s state first', async () => {
    // Prepare: Break applied by WFM with the answer lost, then the process stops before any retry succeeds
    const receiver = await receiverFor();
    const h = pipelineFor(receiver, { RTA_RETRY_BASE_MS: '5000', RTA_RETRY_MAX_MS: '5000' });
    h.push({ agent: 1, status: 'Available', at: T0 });
    await h.pipeline.flush();
    h.receiver.injectFaults({ delayAfterApplyMillis: 600, count: 1 });
    h.push({ agent: 1, status: 'Break', at: T0 + 1000 });
    h.pipeline.flush().catch(() => undefined);
    for (let i = 0; i < 100 && h.pipeline.health().healthy; i++) await sleep(10);
    // Act: restart; the Break record was not acknowledged, so it is re-read after Available's return
    const after = await restartedFromStore(h);
    after.push({ agent: 1, status: 'Break', at: T0 + 1000 });
    after.push({ agent: 1, status: 'Available', at: T0 + 2000 });
    await after.pipeline.flush();
    // Assess
    expect(wfm(after, 1)).toBe('Available');
  });

  it('a restart between a LOGIN with null snapshots and the next heartbeat keeps the agent logged in', async () => {
    // Prepare: agent 1 logged out, then logs in again with the real sample's null snapshots
    const receiver = await receiverFor();
    const h = pipelineFor(receiver);
    h.push({ agent: 1, status: 'Available', at: T0 });
    h.push({ agent: 1, status: 'Offline', type: 'LOGOUT', at: T0 + 1000 });
    await h.pipeline.flush();
    expect(wfm(h, 1)).toBe('LOGGED_OUT');
    const login = JSON.parse(readFileSync(join(FIXTURES, '01-login-null-snapshots.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    h.pushRaw({ ...login, AgentARN: agentArn(1), EventTimestamp: new Date(T0 + 2000).toISOString() });
    await h.pipeline.flush();
    // Act: restart from the store; the agent's next events are heartbeats
    const after = await restartedFromStore(h);
    after.push({ agent: 1, status: 'Available', type: 'HEART_BEAT', at: T0 + 3000 });
    await after.pipeline.flush();
    // Assess
    expect(wfm(after, 1)).toBe('Available');
  });

  it('after a restart, heartbeats that follow a logout still show the agent logged out', async () => {
    const receiver = await receiverFor();
    const h = pipelineFor(receiver);
    h.push({ agent: 1, status: 'Available', at: T0 });
    h.push({ agent: 1, status: 'Offline', type: 'LOGOUT', at: T0 + 1000 });
    await h.pipeline.flush();
    const after = await restartedFromStore(h);
    after.push({ agent: 1, status: 'Available', type: 'HEART_BEAT', at: T0 + 3000 });
    await after.pipeline.flush();
    expect(wfm(after, 1)).toBe('LOGGED_OUT');
  });

  it('two agents swapping usernames: each username shows the state of the agent holding it now, by event time', async () => {
    // Prepare: agent 1 is alice on shard-0, agent 2 is bob on shard-1
    const h = pipelineFor(await receiverFor());
    h.push({ agent: 1, username: 'alice', status: 'Available', at: T0 }, 'shard-0');
    h.push({ agent: 2, username: 'bob', status: 'Break', at: T0 }, 'shard-1');
    await h.pipeline.flush();
    // Act: they swap at T0+10s. Shard-1 is read first; shard-0's last pre-swap event for alice arrives later in the
    // same window, then an even later read of shard-0 brings another pre-swap alice event in its own window
    h.push({ agent: 2, username: 'alice', status: 'Lunch', at: T0 + 10_000 }, 'shard-1');
    h.push({ agent: 1, username: 'alice', status: 'Training', at: T0 + 9_000 }, 'shard-0');
    await h.pipeline.flush();
    h.push({ agent: 1, username: 'alice', status: 'Meeting', at: T0 + 9_500 }, 'shard-0');
    await h.pipeline.flush();
    h.push({ agent: 1, username: 'bob', status: 'Available', at: T0 + 11_000 }, 'shard-0');
    await h.pipeline.flush();
    // Assess
    expect(wfm(h, 'alice')).toBe('Lunch');
    expect(wfm(h, 'bob')).toBe('Available');
    expect(h.pipeline.acknowledged('shard-0')).toBe(h.lastSequence('shard-0'));
  });

  it('a late duplicate within one shard never overrides a newer state, in the same window or a later one', async () => {
    const h = pipelineFor(await receiverFor());
    // Same window: Break (newer) then a late Available with an older EventTimestamp and a new EventId
    h.push({ agent: 1, status: 'Break', at: T0 + 5000 });
    h.push({ agent: 1, status: 'Available', at: T0 });
    // Later window
    h.push({ agent: 2, status: 'Lunch', at: T0 + 5000 });
    await h.pipeline.flush();
    h.push({ agent: 2, status: 'Available', at: T0 + 1000 });
    await h.pipeline.flush();
    expect(wfm(h, 1)).toBe('Break');
    expect(wfm(h, 2)).toBe('Lunch');
    expect(h.pipeline.acknowledged('shard-0')).toBe(h.lastSequence());
  });

  it('old Teleopti: a 400 for an unknown user code isolates that agent; the others are delivered and acknowledged', async () => {
    // Prepare: WFM knows agents 1–3 and 7; agent 4 has no person; 5 and 6 have usernames Teleopti cannot store
    const receiver = await receiverFor(['agent.1', 'agent.2', 'agent.3', 'agent.7']);
    const h = pipelineFor(receiver, { RTA_UNKNOWN_USER_RETRY_MS: '1000' });
    // Act 1
    h.push({ agent: 1, status: 'Available', at: T0 });
    h.push({ agent: 4, status: 'Available', at: T0 });
    h.push({ agent: 2, status: 'Break', at: T0 });
    h.push({ agent: 5, username: 'agent\u00075', status: 'Available', at: T0 });
    h.push({ agent: 6, username: 'a'.repeat(51), status: 'Available', at: T0 });
    h.push({ agent: 7, username: '  agent.7 ', status: 'Lunch', at: T0 });
    h.push({ agent: 3, status: 'Lunch', at: T0 });
    await h.pipeline.flush();
    // Assess 1: everyone known delivered, checkpoints go on, health stays green
    expect(Object.fromEntries(receiver.currentStates())).toEqual({
      'agent.1': 'Available',
      'agent.2': 'Break',
      'agent.3': 'Lunch',
      'agent.7': 'Lunch',
    });
    expect(h.pipeline.acknowledged('shard-0')).toBe(h.lastSequence());
    expect(h.pipeline.health().healthy).toBe(true);
    expect(h.metrics.total(ConsumerMetric.UnknownUserCodes)).toBe(1);
    expect(h.metrics.total(ConsumerMetric.InvalidUserCodes)).toBe(2);
    expect(receiver.batches.flatMap((b) => b.states.map((s) => s.UserCode))).not.toContain('agent\u00075');

    // Act 2: the unknown agent's unchanged state is not re-posted with the next window
    const posts = receiver.rejections.length + receiver.totalBatches;
    h.push({ agent: 4, status: 'Available', type: 'HEART_BEAT', at: T0 + 1000 });
    h.push({ agent: 1, status: 'Break', at: T0 + 1000 });
    await h.pipeline.flush();
    expect(receiver.rejections.length + receiver.totalBatches).toBe(posts + 1);
    expect(receiver.batches.at(-1)!.states).toEqual([{ UserCode: 'agent.1', StateCode: 'Break' }]);

    // Act 3: WFM creates the person; the slow timer re-posts the agent's state with the next window
    receiver.addKnownUserCode('agent.4');
    await sleep(1100);
    h.push({ agent: 2, status: 'Available', at: T0 + 2000 });
    await h.pipeline.flush();
    expect(wfm(h, 4)).toBe('Available');
    expect(wfm(h, 2)).toBe('Available');
    // Logged once per agent, however many posts named it
    expect(h.warnings.filter((w) => w.startsWith('WFM has no person'))).toHaveLength(1);
    expect(h.warnings.filter((w) => w.startsWith('agent skipped'))).toHaveLength(2);
  });

  it('old Teleopti: an unknown agent whose state changes is posted again at once', async () => {
    const receiver = await receiverFor(['agent.1']);
    const h = pipelineFor(receiver);
    h.push({ agent: 4, status: 'Available', at: T0 });
    h.push({ agent: 1, status: 'Available', at: T0 });
    await h.pipeline.flush();
    receiver.addKnownUserCode('agent.4');
    h.push({ agent: 4, status: 'Break', at: T0 + 1000 });
    await h.pipeline.flush();
    expect(wfm(h, 4)).toBe('Break');
    expect(wfm(h, 1)).toBe('Available');
  });

  it('bounded memory: agents not seen for the configured time are forgotten; a returning agent is posted again', async () => {
    // Prepare: 50 agents delivered at t, eviction after one hour (of wall-clock time since last seen)
    const clock = { now: Date.parse('2026-03-02T09:00:00.000Z') };
    const h = pipelineFor(await receiverFor(), {}, [], clock);
    for (let a = 1; a <= 50; a++) h.push({ agent: a, status: 'Available', at: T0 });
    await h.pipeline.flush();
    expect(h.pipeline.agentsTracked).toBe(50);
    // Act: 40 minutes later 10 agents are seen again; 40 minutes after that a window closes
    clock.now += 40 * 60_000;
    for (let a = 1; a <= 10; a++) h.push({ agent: a, status: 'Available', type: 'HEART_BEAT', at: T0 + 1 });
    await h.pipeline.flush();
    clock.now += 40 * 60_000;
    h.push({ agent: 1, status: 'Break', at: T0 + 2 });
    await h.pipeline.flush();
    // Assess: 40 agents forgotten in memory (and no longer persisted as delivered); the gauge says so
    expect(h.pipeline.agentsTracked).toBe(10);
    expect(
      h.pipeline
        .deliveredStates()
        .map((s) => s.userCode)
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => userCode(i + 1)).sort());
    expect(h.metrics.total(ConsumerMetric.AgentsEvicted)).toBe(40);
    expect(h.metrics.snapshot().find((m) => m.name === ConsumerMetric.AgentsTracked)?.value).toBe(10);
    // A forgotten agent that comes back is tracked and posted again
    h.push({ agent: 30, status: 'Lunch', at: T0 + 3 });
    await h.pipeline.flush();
    expect(wfm(h, 30)).toBe('Lunch');
    expect(h.pipeline.agentsTracked).toBe(11);
  });
});
