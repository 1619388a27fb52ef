import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  MergeShardsCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import {
  type DynamoDbLocal,
  freePort,
  type KinesisMock,
  startDynamoDbLocal,
  startKinesisMock,
} from '../../../local/emulators';
import { userCode } from '../../helpers/agentEvents';
import { buildCli } from '../../helpers/buildCli';
import { KinesisThrottlingProxy } from '../../helpers/kinesisThrottlingProxy';
import {
  type ConsumerProcess,
  type EventSpec,
  createStream,
  putEvents,
  shardOfAgent,
  sleep,
  startConsumer,
  waitFor,
} from './directConsumerSupport';

/**
 * `connect-wfm consume` (direct mode) end to end: kinesis-mock → the real CLI process → a Teleopti-contract
 * receiver, with checkpoints and agent states in DynamoDB Local (or the file store).
 */
const AUTH_KEY = 'direct-consumer-key';
let kinesis: KinesisMock;
let dynamo: DynamoDbLocal;
let receiver: RtaReceiver;
let cli: string;
const running: ConsumerProcess[] = [];

beforeAll(async () => {
  cli = buildCli();
  [kinesis, dynamo, receiver] = await Promise.all([
    startKinesisMock(),
    startDynamoDbLocal(),
    RtaReceiver.start({ authKey: AUTH_KEY }),
  ]);
}, 120000);

// A test that fails while WFM is made to refuse must not leave the refusal to the next one.
afterEach(() => receiver?.clearFaults());

afterAll(async () => {
  for (const c of running) c.child.kill('SIGKILL');
  await Promise.all([kinesis?.stop(), dynamo?.stop(), receiver?.stop()]);
});

let streamCounter = 0;
async function newStream(shards = 2): Promise<string> {
  const name = `agent-events-${process.pid}-${++streamCounter}`;
  await createStream(kinesis.client, name, shards);
  return name;
}

function consumer(stream: string, env: Record<string, string> = {}, endpoint = kinesis.endpoint): ConsumerProcess {
  const c = startConsumer(cli, {
    KINESIS_STREAM_NAME: stream,
    AWS_ENDPOINT_URL_KINESIS: endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    CHECKPOINT_TABLE: `${stream}-leases`,
    WFM_RTA_URL: receiver.url,
    WFM_AUTH_KEY: AUTH_KEY,
    RTA_CATCH_UP_THRESHOLD_MS: '60000',
    ...env,
  });
  running.push(c);
  return c;
}

/** Agents of this test get distinct numbers, so the shared receiver's state is per test. */
const agents = (base: number, count: number): number[] => Array.from({ length: count }, (_, i) => base + i);

const postedFor = (agent: number): string[] =>
  receiver.batches.flatMap((b) => b.states.filter((s) => s.UserCode === userCode(agent)).map((s) => s.StateCode));

const allAt = (list: number[], expected: (agent: number) => string): boolean =>
  list.every((a) => receiver.currentStates().get(userCode(a)) === expected(a));

const HOUR = 3600 * 1000;

/** Three old states per agent (H1–H3, 20 hours ago, an hour apart); returns the first one's event time. */
async function putHistory(stream: string, ids: number[]): Promise<number> {
  const t = Date.now() - 20 * HOUR;
  await putEvents(
    kinesis.client,
    stream,
    ids.flatMap((a) => ['H1', 'H2', 'H3'].map((status, i) => ({ agent: a, status, at: t + i * HOUR }))),
  );
  return t;
}

/**
 * Reads `stream` from the start in small reads (each seconds behind the tip) until `current` are at 'Now', then
 * stops; asserts that the agents `ids` got exactly one post, a snapshot, and returns its states.
 */
async function catchUpPosts(stream: string, ids: number[], current: number[]): Promise<Map<string, string>> {
  const batchesBefore = receiver.batches.length;
  const c = consumer(stream, { KINESIS_MAX_RECORDS: '4', RTA_CATCH_UP_THRESHOLD_MS: '1500' });
  await waitFor('caught up and posted', () => allAt(current, () => 'Now'), 30000, c.log);
  await sleep(1000);
  await c.stop();
  const mine = receiver.batches
    .slice(batchesBefore)
    .filter((b) => b.states.some((s) => ids.some((a) => s.UserCode === userCode(a))));
  expect(mine).toHaveLength(1);
  expect(mine[0]!.isSnapshot).toBe(true);
  return new Map(mine[0]!.states.map((s) => [s.UserCode, s.StateCode]));
}

describe('direct mode consumer on kinesis-mock and DynamoDB Local', () => {
  test('2-shard stream end to end; SIGTERM exits 0 after checkpointing; a restart resumes without re-posting', async () => {
    // Prepare
    const stream = await newStream(2);
    const ids = agents(1000, 20);
    const t = Date.now();
    const events: EventSpec[] = ids.flatMap((a) =>
      ['Available', 'Break', 'Lunch'].map((status, i) => ({ agent: a, status, at: t + i })),
    );
    const healthPort = await freePort();
    const first = consumer(stream, { HEALTH_PORT: String(healthPort) });
    // Act
    await putEvents(kinesis.client, stream, events);
    await waitFor('final states at WFM', () => allAt(ids, () => 'Lunch'), 30000, first.log);
    const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    await sleep(500); // the acknowledgement of the last window becomes a checkpoint
    const exitCode = await first.stop();
    const leases = await dynamo.client.send(new ScanCommand({ TableName: `${stream}-leases` }));
    const postsBefore = ids.map((a) => postedFor(a).length);
    const second = consumer(stream);
    await waitFor('second consumer reading', () => second.log().includes('reading shard'), 30000, second.log);
    await sleep(1500);
    const repostedAfterRestart = ids.map((a) => postedFor(a).length);
    await putEvents(kinesis.client, stream, [{ agent: ids[0]!, status: 'Training', at: Date.now() }]);
    await waitFor('new event delivered', () => allAt([ids[0]!], () => 'Training'), 30000, second.log);
    await second.stop();
    // Assess
    expect(health.status).toBe(200);
    expect(metrics).toMatch(/connect_wfm_records_processed_total \d+/);
    expect(metrics).toMatch(/connect_wfm_states_posted_total \d+/);
    expect(exitCode).toBe(0);
    expect(leases.Items?.map((i) => i.leaseKey?.S).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    for (const item of leases.Items ?? []) {
      expect(item.checkpoint?.S).toMatch(/^\d+$/);
      expect(Number(item.leaseCounter?.N)).toBeGreaterThanOrEqual(1);
      expect(item.leaseOwner?.S).toBeTruthy();
      expect(item.checkpointSubSequenceNumber?.N).toBe('0');
    }
    const agentItem = await dynamo.client.send(
      new GetItemCommand({ TableName: `${stream}-leases-agent-states`, Key: { userCode: { S: userCode(ids[1]!) } } }),
    );
    expect(agentItem.Item?.stateCode?.S).toBe('Lunch');
    expect(repostedAfterRestart).toEqual(postsBefore);
  });

  test('split and merge during traffic: nothing lost, each agent in order', async () => {
    // Prepare
    const stream = await newStream(2);
    const ids = agents(2000, 30);
    const c = consumer(stream);
    const rounds = 24;
    const t0 = Date.now();
    // Act: traffic in rounds; split shard 0 after a third, merge two adjacent open shards after two thirds
    for (let round = 1; round <= rounds; round++) {
      await putEvents(
        kinesis.client,
        stream,
        ids.map((a) => ({ agent: a, status: `Step-${String(round).padStart(2, '0')}`, at: t0 + round * 10 })),
      );
      if (round === 8) {
        await kinesis.client.send(
          new SplitShardCommand({
            StreamName: stream,
            ShardToSplit: 'shardId-000000000000',
            NewStartingHashKey: (2n ** 126n).toString(),
          }),
        );
      }
      if (round === 16) {
        const { Shards } = await kinesis.client.send(new ListShardsCommand({ StreamName: stream }));
        const open = (Shards ?? []).filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber);
        const sorted = open.sort((a, b) =>
          BigInt(a.HashKeyRange!.StartingHashKey!) < BigInt(b.HashKeyRange!.StartingHashKey!) ? -1 : 1,
        );
        await kinesis.client.send(
          new MergeShardsCommand({
            StreamName: stream,
            ShardToMerge: sorted[0]!.ShardId!,
            AdjacentShardToMerge: sorted[1]!.ShardId!,
          }),
        );
      }
      await sleep(100);
    }
    const final = `Step-${String(rounds).padStart(2, '0')}`;
    await waitFor('every agent at its final state', () => allAt(ids, () => final), 60000, c.log);
    await sleep(1000);
    await c.stop();
    const leases = await dynamo.client.send(new ScanCommand({ TableName: `${stream}-leases` }));
    // Assess: per agent the posted steps only ever increase (order kept) and end at the last one
    for (const a of ids) {
      const steps = postedFor(a);
      expect(steps.at(-1)).toBe(final);
      expect([...steps].sort()).toEqual(steps);
      expect(new Set(steps).size).toBe(steps.length);
    }
    const ended = (leases.Items ?? []).filter((i) => i.checkpoint?.S === 'SHARD_END').map((i) => i.leaseKey?.S);
    expect(ended.length).toBeGreaterThanOrEqual(2);
  });

  test('throttling by Kinesis (ProvisionedThroughputExceeded) is survived', async () => {
    // Prepare: a proxy that enforces the read limit and refuses a third of the reads on top
    const stream = await newStream(2);
    const proxy = await KinesisThrottlingProxy.start({
      target: kinesis.endpoint,
      getRecordsPerSecond: 4,
      throttleShare: 0.3,
    });
    const ids = agents(3000, 20);
    const c = consumer(stream, { KINESIS_MAX_RECORDS: '10' }, proxy.url);
    const t = Date.now();
    // Act
    await putEvents(
      kinesis.client,
      stream,
      ids.flatMap((a) => ['Available', 'Meeting'].map((status, i) => ({ agent: a, status, at: t + i }))),
    );
    await waitFor('final states through throttling', () => allAt(ids, () => 'Meeting'), 60000, c.log);
    await c.stop();
    await proxy.stop();
    // Assess
    // (the SDK retries a throttled call itself first; the reader backs off when it still fails)
    expect(proxy.throttled).toBeGreaterThan(0);
  });

  test('kill -9 with a window read but not delivered, then restart: every agent final state is delivered (file store)', async () => {
    // Prepare
    const stream = await newStream(2);
    const stateDir = mkdtempSync(join(tmpdir(), 'cwfm-direct-'));
    const ids = agents(4000, 20);
    const env = { CHECKPOINT_TABLE: '', STATE_DIR: stateDir };
    const first = consumer(stream, env);
    const t = Date.now();
    await putEvents(
      kinesis.client,
      stream,
      ids.map((a) => ({ agent: a, status: 'Available', at: t })),
    );
    await waitFor('first window delivered', () => allAt(ids, () => 'Available'), 30000, first.log);
    // Act: new states are read and their window closes, but WFM refuses the post (so nothing is acknowledged or
    // checkpointed); the process dies then. Forced by the receiver, not by racing the window's timer.
    const refusedBefore = receiver.rejections.filter((r) => r.reason === 'injected').length;
    receiver.injectFaults({ status: 503, count: 1_000_000 });
    await putEvents(
      kinesis.client,
      stream,
      ids.map((a) => ({ agent: a, status: 'Break', at: t + 1 })),
    );
    await waitFor(
      'a post of the new window refused',
      () => receiver.rejections.filter((r) => r.reason === 'injected').length > refusedBefore,
      30000,
      first.log,
    );
    await first.kill9();
    receiver.clearFaults();
    const deliveredBeforeCrash = ids.filter((a) => receiver.currentStates().get(userCode(a)) === 'Break').length;
    const second = consumer(stream, env);
    await waitFor('final states after restart', () => allAt(ids, () => 'Break'), 30000, second.log);
    await second.stop();
    // Assess
    expect(deliveredBeforeCrash).toBe(0);
    expect(ids.every((a) => postedFor(a).filter((s) => s === 'Available').length === 1)).toBe(true);
  });

  test('first start over history: reduces silently while behind, then posts only current states, once', async () => {
    // Prepare: history (three states per agent, old event times), a pause, then current states for half of them
    const stream = await newStream(2);
    const ids = agents(5000, 10);
    await putHistory(stream, ids);
    await sleep(3000);
    const now = Date.now();
    const current = ids.slice(0, 5);
    await putEvents(
      kinesis.client,
      stream,
      current.map((a) => ({ agent: a, status: 'Now', at: now })),
    );
    // Act: small reads, so the first ones are seconds behind the tip
    const posted = await catchUpPosts(stream, ids, current);
    // Assess
    for (const a of current) expect(posted.get(userCode(a))).toBe('Now');
    for (const a of ids.slice(5)) expect(posted.get(userCode(a))).toBe('H3');
  });

  test('a reshard during catch-up: the parent’s hours-old states are never posted before the children are read', async () => {
    // Prepare: the parent holds old history (H1–H3); after a split the children hold H4 and, seconds later at the
    // tip, the current state of half the agents
    const stream = await newStream(1);
    const ids = agents(6000, 10);
    const t = await putHistory(stream, ids);
    await kinesis.client.send(
      new SplitShardCommand({
        StreamName: stream,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await waitFor('split done', async () => {
      const { StreamDescriptionSummary } = await kinesis.client.send(
        new DescribeStreamSummaryCommand({ StreamName: stream }),
      );
      return StreamDescriptionSummary?.StreamStatus === 'ACTIVE' && StreamDescriptionSummary.OpenShardCount === 2;
    });
    await putEvents(
      kinesis.client,
      stream,
      ids.map((a) => ({ agent: a, status: 'H4', at: t + 3 * HOUR })),
    );
    await sleep(3000);
    const current = ids.slice(0, 5);
    await putEvents(
      kinesis.client,
      stream,
      current.map((a) => ({ agent: a, status: 'Now', at: Date.now() })),
    );
    // Act: small reads, so the parent and the children are read far behind the tip
    const posted = await catchUpPosts(stream, ids, current);
    // Assess: the current states; no older state was ever posted as current
    for (const a of current) expect(posted.get(userCode(a))).toBe('Now');
    for (const a of ids.slice(5)) expect(posted.get(userCode(a))).toBe('H4');
  });

  /**
   * Shard 0 holds one agent's three events (one read, at the tip); shard 1 holds `shard1Agents` agents' (reads of 4,
   * full ones count as behind) and its reader cannot start until shard 0 was read: forced by the proxy, as it
   * happens under load. Returns the batches that carried these agents.
   */
  async function oneShardReadLate(base: number, shard1Agents: number) {
    const stream = await newStream(2);
    const candidates = agents(base, 40);
    const first = candidates.filter((a) => shardOfAgent(a) === 'shardId-000000000000').slice(0, 1);
    const second = candidates.filter((a) => shardOfAgent(a) === 'shardId-000000000001').slice(0, shard1Agents);
    const ids = [...first, ...second];
    const t = Date.now() - 3 * 3600 * 1000;
    await putEvents(
      kinesis.client,
      stream,
      ids.flatMap((a) => ['H1', 'H2', 'H3'].map((status, i) => ({ agent: a, status, at: t + i * 1000 }))),
    );
    const proxy = await KinesisThrottlingProxy.start({ target: kinesis.endpoint });
    const release = proxy.holdShard('shardId-000000000001');
    const batchesBefore = receiver.batches.length;
    const c = consumer(stream, { KINESIS_MAX_RECORDS: '4', RTA_CATCH_UP_THRESHOLD_MS: '1500' }, proxy.url);
    // Three reads of shard 0 are two paced gaps (≥ 400 ms) of the consumer's clock: its 200 ms window closed after
    // the first one, so whatever that window could post has been handed to delivery.
    await waitFor('shard 0 read three times', () => proxy.reads >= 3, 30000, c.log);
    release();
    await waitFor('every agent at H3', () => allAt(ids, () => 'H3'), 30000, c.log);
    await c.stop();
    await proxy.stop();
    return {
      posted: receiver.batches
        .slice(batchesBefore)
        .filter((b) => b.states.some((s) => ids.some((a) => s.UserCode === userCode(a))))
        .map((b) => ({ isSnapshot: b.isSnapshot, states: new Map(b.states.map((s) => [s.UserCode, s.StateCode])) })),
      everyAgentAtH3: new Map(ids.map((a) => [userCode(a), 'H3'])),
    };
  }

  test('first start: a shard read late holds every post until it is read, then one snapshot carries all', async () => {
    // Prepare, Act: shard 1 has 12 records, three full reads (behind), then an empty one at the tip
    const { posted, everyAgentAtH3 } = await oneShardReadLate(6000, 4);
    // Assess: shard 0's agent is not posted alone before shard 1 turns out to be behind
    expect(posted).toEqual([{ isSnapshot: true, states: everyAgentAtH3 }]);
  });

  test('first start: the read that catches up is in the snapshot, not a delta after it', async () => {
    // Prepare, Act: shard 1 has 9 records, two full reads (behind), then one of 1 record at the tip (caught up)
    const { posted, everyAgentAtH3 } = await oneShardReadLate(6100, 3);
    // Assess: no snapshot with an older state (H2) followed by a delta with the newest
    expect(posted).toEqual([{ isSnapshot: true, states: everyAgentAtH3 }]);
  });
});
