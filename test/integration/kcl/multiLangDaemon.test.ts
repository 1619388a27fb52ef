import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListShardsCommand, MergeShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { readdirSync, readFileSync } from 'node:fs';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { userCode } from '../../helpers/agentEvents';
import { type DynamoDbLocal, type KinesisMock, startDynamoDbLocal, startKinesisMock } from '../../../local/emulators';
import { createStream, sleep, waitFor } from '../consumer/directConsumerSupport';
import {
  AUTH_KEY,
  checkpointViolations,
  createKclTables,
  ensureBuilt,
  leaderOf,
  finalStatuses,
  KclWorker,
  type PutRecord,
  putStatuses,
  requireKclJars,
  scanLeases,
} from './kclFleet';

/**
 * KCL mode as it runs in production: `connect-wfm kcl-daemon` runs the real Java MultiLangDaemon (KCL 3, jars from
 * `npm run kcl:jars`) with real `kcl-processor` children, on kinesis-mock and DynamoDB Local, posting to the
 * Teleopti-contract receiver. Each test has its own stream and lease tables.
 */
let kinesis: KinesisMock;
let dynamo: DynamoDbLocal;
let receiver: RtaReceiver;
let cli: string;
const workers: KclWorker[] = [];
const watchers: { stop(): Promise<void> }[] = [];
let testNumber = 0;

beforeAll(async () => {
  requireKclJars();
  cli = ensureBuilt();
  [kinesis, dynamo, receiver] = await Promise.all([
    startKinesisMock(),
    startDynamoDbLocal(),
    RtaReceiver.start({ authKey: AUTH_KEY }),
  ]);
}, 180000);

afterEach(async () => {
  receiver.clearFaults();
  await Promise.all(watchers.splice(0).map((w) => w.stop()));
  for (const w of workers.splice(0)) w.cleanup();
});

afterAll(async () => {
  await Promise.all([kinesis?.stop(), dynamo?.stop(), receiver?.stop()]);
});

interface Fleet {
  stream: string;
  application: string;
  start(workerId: string, extra?: Record<string, string>): KclWorker;
  /**
   * w1 capped at half the leases starts first and takes them; w2 (uncapped) then takes the rest. KCL 3 assigns a
   * free lease to any registered worker and does not rebalance an idle stream, so this is how a test gets both
   * workers holding leases for certain; w2 can later take every lease.
   */
  twoWorkers(): Promise<[KclWorker, KclWorker]>;
  put(events: { agent: number; status: string }[]): Promise<PutRecord[]>;
  /** Watches the lease table until stopped; every checkpoint seen is checked against what WFM had accepted then. */
  watchCheckpoints(): { violations: string[]; stop(): Promise<void> };
  waitForFinalStates(put: PutRecord[], timeoutMillis?: number): Promise<void>;
  owners(): Promise<Map<string, string | undefined>>;
  logs(): string;
}

async function fleet(shards: number): Promise<Fleet> {
  const n = ++testNumber;
  const stream = `agents-${n}`;
  const application = `rta-${n}`;
  await createStream(kinesis.client, stream, shards);
  await createKclTables(dynamo.client, application);
  const env = {
    kinesisEndpoint: kinesis.endpoint,
    dynamoDbEndpoint: dynamo.endpoint,
    stream,
    application,
    receiver,
  };
  const mine: KclWorker[] = [];
  const put: PutRecord[] = [];
  const logs = () => mine.map((w) => w.tail()).join('\n');
  const owners = async () =>
    new Map((await scanLeases(dynamo.client, application)).map((l) => [l.leaseKey, l.leaseOwner]));
  const fleet: Fleet = {
    stream,
    application,
    start(workerId, extra) {
      const worker = KclWorker.start(cli, env, `${workerId}-${n}`, extra);
      workers.push(worker);
      mine.push(worker);
      return worker;
    },
    async twoWorkers() {
      const half = String(shards / 2);
      const w1 = fleet.start('w1', { KCL_MAX_LEASES_FOR_WORKER: half });
      await waitFor(
        'w1 to hold half the leases',
        async () => [...(await owners()).values()].filter((o) => o === w1.workerId).length === shards / 2,
        90000,
        logs,
      );
      const w2 = fleet.start('w2');
      await waitFor(
        'w2 to hold the other half',
        async () => [...(await owners()).values()].filter((o) => o === w2.workerId).length === shards / 2,
        90000,
        logs,
      );
      return [w1, w2];
    },
    async put(events) {
      const records = await putStatuses(kinesis.client, stream, events);
      put.push(...records);
      return records;
    },
    watchCheckpoints() {
      const violations: string[] = [];
      let running = true;
      const loop = (async () => {
        while (running) {
          // The receiver's view first: a state accepted after the scan must not excuse a checkpoint seen in it.
          const leases = await scanLeases(dynamo.client as DynamoDBClient, application).catch(() => []);
          violations.push(...checkpointViolations(leases, put, receiver));
          await sleep(200);
        }
      })();
      const watcher = {
        violations,
        stop: async () => {
          running = false;
          await loop;
        },
      };
      watchers.push(watcher);
      return watcher;
    },
    async waitForFinalStates(records, timeoutMillis = 90000) {
      const expected = finalStatuses(records);
      await waitFor(
        "WFM to hold every agent's last state",
        () => [...expected].every(([user, status]) => receiver.currentStates().get(user) === status),
        timeoutMillis,
        () => {
          const wrong = [...expected].filter(([u, s]) => receiver.currentStates().get(u) !== s).slice(0, 5);
          return `${JSON.stringify(wrong)} (WFM has ${JSON.stringify(wrong.map(([u]) => receiver.currentStates().get(u)))})\n${logs()}`;
        },
      );
    },
    owners,
    logs,
  };
  return fleet;
}

/** `rounds` statuses for each of `agents` agents (numbered from `first`), interleaved; unique per test and round. */
function statuses(first: number, agents: number, rounds: number, tag: string): { agent: number; status: string }[] {
  const events: { agent: number; status: string }[] = [];
  for (let round = 0; round < rounds; round++)
    for (let a = 0; a < agents; a++) events.push({ agent: first + a, status: `${tag}-${round}` });
  return events;
}

describe('KCL mode on the real MultiLangDaemon', () => {
  test("two workers on a 4-shard stream share the leases and deliver every agent's final state", async () => {
    // Prepare
    const f = await fleet(4);
    const watch = f.watchCheckpoints();
    // Act
    const [w1, w2] = await f.twoWorkers();
    const put = await f.put(statuses(1000, 40, 3, 'two'));
    // Assess
    await f.waitForFinalStates(put);
    const owners = [...(await f.owners()).values()];
    expect(owners.filter((o) => o === w1.workerId).length).toBeGreaterThan(0);
    expect(owners.filter((o) => o === w2.workerId).length).toBeGreaterThan(0);
    await watch.stop();
    expect(watch.violations).toEqual([]);
  }, 180000);

  test('kill -9 of one worker: the other takes every lease and delivers everything; no checkpoint passes an undelivered state', async () => {
    // Prepare: two workers holding leases, some states delivered
    const f = await fleet(4);
    const [w1, w2] = await f.twoWorkers();
    const watch = f.watchCheckpoints();
    const before = await f.put(statuses(2000, 40, 2, 'kill-a'));
    await f.waitForFinalStates(before);
    // Act: the task dies mid-stream (w1 started first, so it usually holds KCL 3's leader lock as well)
    const leader = await leaderOf(dynamo.client, f.application);
    const more = f.put(statuses(2000, 40, 3, 'kill-b'));
    await w1.kill9();
    const killedAt = Date.now();
    const put = [...before, ...(await more)];
    await waitFor(
      'the survivor to hold every lease',
      async () => [...(await f.owners()).values()].every((o) => o === w2.workerId),
      200000,
      f.logs,
    );
    const failoverMillis = Date.now() - killedAt;
    // Assess
    await f.waitForFinalStates(put);
    await watch.stop();
    expect(watch.violations).toEqual([]);
    process.stderr.write(
      `KCL failover (kill -9 of ${leader === w1.workerId ? 'the leader' : 'a non-leader'} → survivor holds every lease): ${failoverMillis} ms\n`,
    );
  }, 240000);

  test("a split and a merge while events flow: each agent's states reach WFM in event order", async () => {
    // Prepare
    const f = await fleet(2);
    const w1 = f.start('w1');
    // Resharding starts once the worker runs: its first shard sync (AT_TIMESTAMP filter) must see the original shards
    await waitFor(
      'w1 to hold both leases',
      async () => [...(await f.owners()).values()].filter((o) => o === w1.workerId).length === 2,
      90000,
      f.logs,
    );
    const watch = f.watchCheckpoints();
    const put: PutRecord[] = [];
    put.push(...(await f.put(statuses(3000, 30, 2, 'reshard-a'))));
    // Act: split shard 0, keep writing, then merge two adjacent open shards
    await kinesis.client.send(
      new SplitShardCommand({
        StreamName: f.stream,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 125n).toString(),
      }),
    );
    await sleep(500);
    put.push(...(await f.put(statuses(3000, 30, 2, 'reshard-b'))));
    const [lower, upper] = await adjacentOpenShards(f.stream);
    await kinesis.client.send(
      new MergeShardsCommand({ StreamName: f.stream, ShardToMerge: lower, AdjacentShardToMerge: upper }),
    );
    await sleep(500);
    put.push(...(await f.put(statuses(3000, 30, 2, 'reshard-c'))));
    // Assess: every agent's final state, and every agent's states in the order of its events
    await f.waitForFinalStates(put, 120000);
    for (let agent = 3000; agent < 3030; agent++) {
      const order = put.filter((r) => r.agent === agent).map((r) => r.status);
      const received = receiver.batches
        .flatMap((b) => b.states)
        .filter((s) => s.UserCode === userCode(agent))
        .map((s) => s.StateCode)
        .filter((code) => code.startsWith('reshard-'));
      const positions = received.map((code) => order.indexOf(code));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    await watch.stop();
    expect(watch.violations).toEqual([]);
  }, 240000);

  test('SIGTERM: the children flush, deliver and checkpoint, the JVM exits 0 in time, the other worker re-posts nothing', async () => {
    // Prepare
    const f = await fleet(4);
    const [w1, w2] = await f.twoWorkers();
    const before = await f.put(statuses(4000, 40, 2, 'term-a'));
    await f.waitForFinalStates(before);
    const w1Shards = [...(await f.owners())].filter(([, o]) => o === w1.workerId).map(([s]) => s);
    // Act
    const stopped = await w1.stop(60000);
    const postsAfterStop = receiver.batches.length;
    await waitFor(
      "the other worker to take the stopped worker's leases",
      async () => [...(await f.owners()).values()].every((o) => o === w2.workerId),
      90000,
      f.logs,
    );
    await sleep(3000); // several windows of the new owner
    // Assess: exit 0 within the ECS stop timeout; checkpoints cover every delivered record of its shards
    expect(stopped.code).toBe(0);
    expect(stopped.millis).toBeLessThan(30000);
    const leases = await scanLeases(dynamo.client, f.application);
    for (const shard of w1Shards) {
      const last = before.filter((r) => r.shardId === shard).at(-1);
      if (last) expect(leases.find((l) => l.leaseKey === shard)?.checkpoint).toBe(last.sequenceNumber);
    }
    expect(receiver.batches.slice(postsAfterStop)).toEqual([]);
    expect(w1.log()).toMatch(/shutdownRequested|shutdown requested/i);
    process.stderr.write(`KCL SIGTERM → JVM exit: ${stopped.millis} ms\n`);
    // And the new owner carries on from those checkpoints
    const after = await f.put(statuses(4000, 40, 1, 'term-b'));
    await f.waitForFinalStates(after);
  }, 240000);

  test('a WFM outage while leases move: nothing is lost and no checkpoint passes an undelivered state', async () => {
    // Prepare
    const f = await fleet(4);
    const [w1, w2] = await f.twoWorkers();
    const watch = f.watchCheckpoints();
    const before = await f.put(statuses(5000, 40, 1, 'outage-a'));
    await f.waitForFinalStates(before);
    // Act: WFM answers 503 while one worker is stopped (its children cannot deliver their last window) and the
    // other takes its leases
    receiver.injectFaults({ status: 503, count: 1_000_000 });
    const during = await f.put(statuses(5000, 40, 2, 'outage-b'));
    await sleep(2000);
    expect((await w1.stop(60000)).code).toBe(0);
    await waitFor(
      'the survivor to hold every lease',
      async () => [...(await f.owners()).values()].every((o) => o === w2.workerId),
      90000,
      f.logs,
    );
    receiver.clearFaults();
    // Assess
    await f.waitForFinalStates([...before, ...during]);
    await watch.stop();
    expect(watch.violations).toEqual([]);
  }, 240000);

  test('a child that crashes mid-batch: the shard is processed again from its checkpoint, nothing is lost', async () => {
    // Prepare
    const f = await fleet(2);
    const marker = `crash-${Date.now()}`;
    const w1 = f.start('w1', { CONNECT_WFM_TEST_MARKER: marker });
    const watch = f.watchCheckpoints();
    const before = await f.put(statuses(6000, 30, 1, 'crash-a'));
    await f.waitForFinalStates(before);
    // Act: SIGKILL one kcl-processor child while more events are on their way
    const more = f.put(statuses(6000, 30, 3, 'crash-b'));
    const children = kclChildren(marker);
    expect(children.length).toBeGreaterThan(0);
    process.kill(children[0]!, 'SIGKILL');
    const put = [...before, ...(await more)];
    // Assess
    await f.waitForFinalStates(put, 120000);
    await watch.stop();
    expect(watch.violations).toEqual([]);
    // The daemon ended its JVM with the child (MultiLang's System.exit); kcl-daemon started it again in place
    expect(w1.child.exitCode).toBeNull();
    expect(w1.log()).toContain('restarting it');
  }, 240000);
});

/** Two open shards whose hash key ranges touch (MergeShards needs them so). */
async function adjacentOpenShards(stream: string): Promise<[string, string]> {
  const { Shards = [] } = await kinesis.client.send(new ListShardsCommand({ StreamName: stream }));
  const open = Shards.filter((shard) => !shard.SequenceNumberRange?.EndingSequenceNumber);
  for (const a of open)
    for (const b of open)
      if (BigInt(a.HashKeyRange!.EndingHashKey!) + 1n === BigInt(b.HashKeyRange!.StartingHashKey!))
        return [a.ShardId!, b.ShardId!];
  throw new Error(`no adjacent open shards in ${JSON.stringify(open)}`);
}

/** The pids of the kcl-processor children carrying the marker in their environment. */
function kclChildren(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (!cmdline.includes('kcl-processor')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`CONNECT_WFM_TEST_MARKER=${marker}`))
        pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}
