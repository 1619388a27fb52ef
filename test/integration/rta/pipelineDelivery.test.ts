import { readRtaConfig } from '../../../common/config/rtaConfig';
import { silentLogger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { RtaClient } from '../../../consumer/src/delivery/RtaClient';
import { AgentStatePipeline } from '../../../consumer/src/pipeline/AgentStatePipeline';
import type { Acknowledgement, SourceRecord } from '../../../consumer/src/domain/agentState';
import { INVALID_KEY_MESSAGE, RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { agentEvent, sequenceNumber, userCode } from '../../helpers/agentEvents';
import { SeededRandom } from '../../../simulator/src/SeededRandom';

const KEY = 'the-key';
const SOURCE = 'connect';
const WINDOW = 40;
/** For the tests whose receiver holds answers on purpose: the client gives up after 300 ms. */
const TIMING_OUT = { RTA_REQUEST_TIMEOUT_MS: '300' };

interface Harness {
  receiver: RtaReceiver;
  pipeline: AgentStatePipeline;
  metrics: MetricsRegistry;
  push(agent: number, status: string, type?: 'STATE_CHANGE' | 'HEART_BEAT' | 'LOGOUT'): void;
  /** Every record pushed, in order. */
  pushed: { agent: number; status: string; n: number }[];
  /** The most posts the pipeline ever had in flight at once (client side: a timed-out request may linger server side). */
  maxPostsInFlight(): number;
}

let open: Harness[] = [];
afterEach(async () => {
  for (const h of open) {
    h.pipeline.abort();
    await h.receiver.stop();
  }
  open = [];
});

async function start(env: Record<string, string> = {}): Promise<Harness> {
  const receiver = await RtaReceiver.start({ authKey: KEY, sourceIds: [SOURCE] });
  const rta = readRtaConfig({
    WFM_RTA_URL: receiver.url,
    WFM_AUTH_KEY: KEY,
    WFM_SOURCE_ID: SOURCE,
    // No short request timeout here: a timed-out post is retried (its outcome is unknown) and so arrives twice,
    // which is right, but only the tests about timeouts may cause one (TIMING_OUT below).
    RTA_RETRY_BASE_MS: '5',
    RTA_RETRY_MAX_MS: '40',
    ...env,
  });
  const metrics = new MetricsRegistry();
  const client = new RtaClient(rta);
  let inFlight = 0;
  let maxInFlight = 0;
  const pipeline = new AgentStatePipeline({
    rta,
    pipeline: { windowMillis: WINDOW, catchUpThresholdMillis: 60_000 },
    delivery: {
      post: async (batch) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          await client.post(batch);
        } finally {
          inFlight--;
        }
      },
    },
    logger: silentLogger,
    metrics,
  });
  let n = 0;
  const pushed: Harness['pushed'] = [];
  const h: Harness = {
    receiver,
    pipeline,
    metrics,
    pushed,
    maxPostsInFlight: () => maxInFlight,
    push(agent, status, type = 'STATE_CHANGE') {
      n++;
      pushed.push({ agent, status: type === 'LOGOUT' ? 'LOGGED_OUT' : status, n });
      const record: SourceRecord = {
        sourceId: 'shard-0',
        sequenceNumber: sequenceNumber(n),
        data: Buffer.from(JSON.stringify(agentEvent({ agent, status, type }))),
      };
      pipeline.push(record);
    },
  };
  open.push(h);
  return h;
}

const lastStatePerAgent = (pushed: Harness['pushed'], upTo = Infinity): Map<string, string> => {
  const m = new Map<string, string>();
  for (const p of pushed) if (p.n <= upTo) m.set(userCode(p.agent), p.status);
  return m;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A new pipeline, as after a restart: the delivered states of `before` restored, posting to the same receiver. */
function restarted(before: Harness): AgentStatePipeline {
  const rta = readRtaConfig({ WFM_RTA_URL: before.receiver.url, WFM_AUTH_KEY: KEY, WFM_SOURCE_ID: SOURCE });
  return new AgentStatePipeline({
    rta,
    pipeline: { windowMillis: WINDOW, catchUpThresholdMillis: 60_000 },
    delivery: new RtaClient(rta),
    logger: silentLogger,
    metrics: new MetricsRegistry(),
    initialDelivered: before.pipeline.deliveredStates(),
  });
}

describe('pipeline → Teleopti RTA contract server', () => {
  it('posts only agents whose state changed, and nothing for an empty delta', async () => {
    // Prepare
    const h = await start();
    // Act
    h.push(1, 'Available');
    h.push(2, 'Available');
    h.push(3, 'Available');
    await h.pipeline.flush();
    h.push(1, 'Available', 'HEART_BEAT');
    h.push(2, 'Break');
    await h.pipeline.flush();
    h.push(3, 'Available', 'HEART_BEAT');
    await h.pipeline.flush();
    // Assess
    expect(h.receiver.batches.map((b) => b.states)).toEqual([
      [
        { UserCode: 'agent.1', StateCode: 'Available' },
        { UserCode: 'agent.2', StateCode: 'Available' },
        { UserCode: 'agent.3', StateCode: 'Available' },
      ],
      [{ UserCode: 'agent.2', StateCode: 'Break' }],
    ]);
    expect(h.receiver.batches.every((b) => !b.isSnapshot && b.sourceId === SOURCE)).toBe(true);
    // The heartbeat-only window sent nothing but is still acknowledged.
    expect(h.pipeline.acknowledged('shard-0')).toBe(sequenceNumber(6));
  });

  it('chunks a large delta at the configured maximum and delivers every state', async () => {
    const h = await start({ RTA_MAX_BATCH_STATES: '2' });
    for (let a = 1; a <= 5; a++) h.push(a, 'Available');
    await h.pipeline.flush();
    expect(h.receiver.batches.map((b) => b.states.length)).toEqual([2, 2, 1]);
    expect(h.receiver.currentStates()).toEqual(lastStatePerAgent(h.pushed));
    expect(h.metrics.total(ConsumerMetric.StatesPosted)).toBe(5);
  });

  it('keeps one request in flight: slow answers never overlap while windows keep closing', async () => {
    const h = await start();
    h.receiver.injectFaults({ delayMillis: 120, count: 4 });
    for (let i = 0; i < 12; i++) {
      h.push(1 + (i % 3), i % 2 ? 'Break' : 'Available');
      await sleep(WINDOW);
    }
    await h.pipeline.flush();
    expect(h.receiver.maxConcurrentRequests).toBe(1);
    expect(h.maxPostsInFlight()).toBe(1);
    expect(h.receiver.currentStates()).toEqual(lastStatePerAgent(h.pushed));
  });

  it('coalesces windows during an outage: the first successful post carries every agent’s newest state', async () => {
    const h = await start({ RTA_RETRY_BASE_MS: '30', RTA_RETRY_MAX_MS: '30' });
    h.receiver.injectFaults({ status: 503, count: 6 });
    h.push(1, 'Available');
    await sleep(WINDOW * 2);
    h.push(1, 'Break');
    h.push(2, 'Lunch');
    await sleep(WINDOW * 2);
    h.push(2, 'Training');
    await h.pipeline.flush();
    expect(h.receiver.rejections.filter((r) => r.status === 503)).toHaveLength(6);
    expect(h.receiver.batches).toHaveLength(1);
    expect(h.receiver.batches[0]!.states).toEqual([
      { UserCode: 'agent.1', StateCode: 'Break' },
      { UserCode: 'agent.2', StateCode: 'Training' },
    ]);
    expect(h.metrics.total(ConsumerMetric.PostFailures)).toBe(6);
    expect(h.pipeline.health().healthy).toBe(true);
  });

  it('retries a timed-out request until it is delivered', async () => {
    const h = await start(TIMING_OUT);
    h.receiver.injectFaults({ delayMillis: 1000, count: 2 });
    h.push(7, 'Available');
    await h.pipeline.flush();
    expect(h.receiver.currentStates().get('agent.7')).toBe('Available');
    await sleep(1200);
    // Both timed-out attempts reached the server, which dropped them when the client went away.
    expect(h.receiver.rejections.filter((r) => r.reason === 'client gone')).toHaveLength(2);
    expect(h.receiver.batches).toHaveLength(1);
    expect(h.pipeline.health().healthy).toBe(true);
  });

  it('surfaces a rejected key loudly: health red with the HTTP status (never WFM’s reply text), nothing acknowledged', async () => {
    const h = await start({ WFM_AUTH_KEY: 'wrong-key' });
    h.push(1, 'Available');
    h.pipeline.flush().catch(() => undefined);
    for (let i = 0; i < 50 && h.pipeline.health().healthy; i++) await sleep(20);
    const health = h.pipeline.health();
    expect(health).toMatchObject({ healthy: false, rejected: true });
    expect(health.reason).toContain('Teleopti RTA rejected the request (HTTP 400)');
    expect(health.reason).not.toContain(INVALID_KEY_MESSAGE);
    expect(h.pipeline.acknowledged('shard-0')).toBeUndefined();
    expect(h.receiver.batches).toHaveLength(0);
  });

  it('after random outages, every agent ends at its last event, and no acknowledgement passes an undelivered state', async () => {
    // Prepare: 20 agents, random events over many windows, random 503s and timeouts.
    const h = await start({ ...TIMING_OUT, RTA_RETRY_BASE_MS: '5', RTA_RETRY_MAX_MS: '20', RTA_MAX_BATCH_STATES: '7' });
    const violations: string[] = [];
    h.pipeline.acknowledgements$.subscribe((ack: Acknowledgement) => {
      const upTo = Number(ack.sequenceNumber.slice(-4));
      const expected = lastStatePerAgent(h.pushed, upTo);
      const held = h.receiver.currentStates();
      for (const [user, state] of expected)
        if (held.get(user) !== state)
          violations.push(`ack ${upTo}: ${user} expected ${state}, WFM holds ${held.get(user)}`);
    });
    const prng = new SeededRandom(42);
    const random = () => prng.next();
    const statuses = ['Available', 'Break', 'Lunch', 'Training'];
    // Act
    for (let round = 0; round < 25; round++) {
      if (random() < 0.3)
        h.receiver.injectFaults({ status: random() < 0.5 ? 503 : 500, count: 1 + Math.floor(random() * 3) });
      if (random() < 0.15) h.receiver.injectFaults({ delayMillis: 400, count: 1 });
      for (let i = 0; i < 8; i++) {
        const agent = 1 + Math.floor(random() * 20);
        if (random() < 0.1) h.push(agent, '', 'LOGOUT');
        else h.push(agent, statuses[Math.floor(random() * statuses.length)]!);
      }
      await sleep(WINDOW / 2 + random() * WINDOW);
    }
    await h.pipeline.flush();
    // Assess
    expect(h.receiver.currentStates()).toEqual(lastStatePerAgent(h.pushed));
    expect(h.pipeline.acknowledged('shard-0')).toBe(sequenceNumber(h.pushed.length));
    expect(violations).toEqual([]);
    expect(h.maxPostsInFlight()).toBe(1);
  });

  it('sends a snapshot as one request with every known agent, and never an empty one', async () => {
    const h = await start({ RTA_MAX_BATCH_STATES: '2' });
    await h.pipeline.sendSnapshot();
    expect(h.receiver.batches).toHaveLength(0);
    for (let a = 1; a <= 5; a++) h.push(a, 'Available');
    h.push(2, '', 'LOGOUT');
    await h.pipeline.sendSnapshot();
    const snapshots = h.receiver.batches.filter((b) => b.isSnapshot);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.states).toHaveLength(5);
    expect(h.receiver.currentStates().get('agent.2')).toBe('LOGGED_OUT');
  });

  it('holds everything while a source catches up, then delivers only the current states', async () => {
    const h = await start();
    h.pipeline.reportLag('shard-0', 3_600_000);
    h.push(1, 'Available');
    h.push(1, 'Break');
    h.push(2, 'Lunch');
    await sleep(WINDOW * 3);
    await h.pipeline.flush();
    expect(h.receiver.batches).toHaveLength(0);
    expect(h.pipeline.acknowledged('shard-0')).toBeUndefined();
    h.pipeline.reportLag('shard-0', 0);
    await h.pipeline.flush();
    expect(h.receiver.batches.map((b) => b.states)).toEqual([
      [
        { UserCode: 'agent.1', StateCode: 'Break' },
        { UserCode: 'agent.2', StateCode: 'Lunch' },
      ],
    ]);
    expect(h.pipeline.acknowledged('shard-0')).toBe(sequenceNumber(3));
  });

  it('after a restart with the delivered states restored, posts nothing already delivered', async () => {
    const first = await start();
    first.push(1, 'Available');
    first.push(2, 'Break');
    await first.pipeline.flush();
    const second = restarted(first);
    // The same events re-delivered after the restart (at-least-once), then one real change.
    second.push({
      sourceId: 'shard-0',
      sequenceNumber: sequenceNumber(2),
      data: Buffer.from(JSON.stringify(agentEvent({ agent: 2, status: 'Break' }))),
    });
    second.push({
      sourceId: 'shard-0',
      sequenceNumber: sequenceNumber(3),
      data: Buffer.from(JSON.stringify(agentEvent({ agent: 1, status: 'Lunch' }))),
    });
    await second.shutdown();
    expect(first.receiver.batches.map((b) => b.states)).toEqual([
      [
        { UserCode: 'agent.1', StateCode: 'Available' },
        { UserCode: 'agent.2', StateCode: 'Break' },
      ],
      [{ UserCode: 'agent.1', StateCode: 'Lunch' }],
    ]);
  });

  it('after a restart, the heartbeats of an agent delivered as logged out post nothing', async () => {
    const first = await start();
    first.push(1, 'Available');
    first.push(1, 'Offline', 'LOGOUT');
    await first.pipeline.flush();
    const second = restarted(first);
    // Connect goes on sending heartbeats with the last status for up to an hour after a logout.
    second.push({
      sourceId: 'shard-0',
      sequenceNumber: sequenceNumber(3),
      data: Buffer.from(JSON.stringify(agentEvent({ agent: 1, status: 'Offline', type: 'HEART_BEAT' }))),
    });
    await second.shutdown();
    expect(first.receiver.currentStates().get('agent.1')).toBe('LOGGED_OUT');
    expect(first.receiver.batches.flatMap((b) => b.states)).toEqual([{ UserCode: 'agent.1', StateCode: 'LOGGED_OUT' }]);
  });

  it('skips a malformed record with a counter, keeps going, and still acknowledges past it', async () => {
    const h = await start();
    h.push(1, 'Available');
    h.pipeline.push({ sourceId: 'shard-0', sequenceNumber: sequenceNumber(100), data: Buffer.from('{not json') });
    await h.pipeline.flush();
    expect(h.metrics.total(ConsumerMetric.MalformedRecords)).toBe(1);
    expect(h.metrics.total(ConsumerMetric.RecordsProcessed)).toBe(2);
    expect(h.receiver.currentStates().get('agent.1')).toBe('Available');
    expect(h.pipeline.acknowledged('shard-0')).toBe(sequenceNumber(100));
  });
});
