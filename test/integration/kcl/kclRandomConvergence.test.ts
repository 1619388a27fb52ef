import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { SeededRandom } from '../../../simulator/src/SeededRandom';
import { agentArn, userCode } from '../../helpers/agentEvents';
import { type DynamoDbLocal, type KinesisMock, startDynamoDbLocal, startKinesisMock } from '../../../local/emulators';
import { createStream, sleep, waitFor } from '../consumer/directConsumerSupport';
import { AUTH_KEY, createKclTables, ensureBuilt, KclWorker, leaderOf, requireKclJars, scanLeases } from './kclFleet';
import { checkpointViolations, type GeneratedEvent, RandomAgents } from './randomAgentStreams';

/**
 * Issue 12's guarantee on the real KCL 3 MultiLangDaemon (`connect-wfm kcl-daemon`, real `kcl-processor` children,
 * kinesis-mock, DynamoDB Local): several hundred agents with seeded random event streams over a 4-shard stream, an
 * old synchronous Teleopti that answers 400 for unknown user codes after applying the others, times out after and
 * before applying and answers 503 at random, while leases move: a second worker joins and takes leases, a lease
 * holder is stopped with SIGTERM, another is killed with kill -9. At the end WFM holds every known agent's last
 * state, and a watcher that checks every checkpoint it sees never saw one pass a state WFM did not hold.
 * CONVERGENCE_SEED=<n> reproduces a run.
 */
const SEED = Number(process.env.CONVERGENCE_SEED ?? 20261202);
const AGENTS = 400;
const SHARDS = 4;
const STREAM = 'agents-random';
const APPLICATION = 'rta-random';

let kinesis: KinesisMock;
let dynamo: DynamoDbLocal;
let receiver: RtaReceiver;
let cli: string;
const workers: KclWorker[] = [];

const random = new SeededRandom(SEED);
const unknown = new Set<number>();
const unstorable = new Set<number>();
for (let a = 1; a <= AGENTS; a++) {
  if (random.chance(0.04)) unknown.add(a);
  else if (random.chance(0.01)) unstorable.add(a);
}
const known = (agent: number) => !unknown.has(agent) && !unstorable.has(agent);
// A username Teleopti cannot store (a control character): validated away before posting, never blocks the rest.
const agents = new RandomAgents(random.fork(1), AGENTS, (a) => (unstorable.has(a) ? `agent\u0007${a}` : userCode(a)));

beforeAll(async () => {
  requireKclJars();
  cli = ensureBuilt();
  [kinesis, dynamo, receiver] = await Promise.all([
    startKinesisMock(),
    startDynamoDbLocal(),
    RtaReceiver.start({
      authKey: AUTH_KEY,
      knownUserCodes: Array.from({ length: AGENTS }, (_, i) => i + 1)
        .filter(known)
        .map(userCode),
      keepBatches: 1_000_000,
    }),
  ]);
  await createStream(kinesis.client, STREAM, SHARDS);
  await createKclTables(dynamo.client, APPLICATION);
}, 180000);

afterAll(async () => {
  for (const w of workers) w.cleanup();
  await Promise.all([kinesis?.stop(), dynamo?.stop(), receiver?.stop()]);
});

describe('randomized convergence on the real MultiLangDaemon', () => {
  test(`seed ${SEED}: ${AGENTS} agents on ${SHARDS} shards, WFM faults and lease moves (join, SIGTERM, kill -9): WFM ends at every known agent's last state, no checkpoint passes an undelivered state`, async () => {
    // Prepare
    const stored: GeneratedEvent[] = [];
    const env = {
      kinesisEndpoint: kinesis.endpoint,
      dynamoDbEndpoint: dynamo.endpoint,
      stream: STREAM,
      application: APPLICATION,
      receiver,
    };
    const faultSettings = {
      RTA_REQUEST_TIMEOUT_MS: '400',
      RTA_RETRY_BASE_MS: '50',
      RTA_RETRY_MAX_MS: '400',
      RTA_UNKNOWN_USER_RETRY_MS: '2000',
    };
    const start = (id: string, extra: Record<string, string> = {}) => {
      const w = KclWorker.start(cli, env, id, { ...faultSettings, ...extra });
      workers.push(w);
      return w;
    };
    const logs = () => workers.map((w) => w.tail(40)).join('\n');
    const owners = async () => (await scanLeases(dynamo.client, APPLICATION)).map((l) => l.leaseOwner);
    const live = (w: KclWorker) => w.child.exitCode === null && w.child.signalCode === null;
    const everyLeaseLive = async () => {
      const ids = new Set(workers.filter(live).map((w) => w.workerId));
      const held = await owners();
      return held.length === SHARDS && held.every((o) => o !== undefined && ids.has(o));
    };
    const put = async (count: number) => {
      const events = agents.next(count);
      for (let i = 0; i < events.length; i += 500) {
        const chunk = events.slice(i, i + 500);
        const out = await kinesis.client.send(
          new PutRecordsCommand({
            StreamName: STREAM,
            Records: chunk.map((e) => ({ PartitionKey: agentArn(e.agent), Data: Buffer.from(e.data) })),
          }),
        );
        if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records failed`);
        out.Records!.forEach((r, j) =>
          stored.push({ ...chunk[j]!, shardId: r.ShardId, sequenceNumber: r.SequenceNumber }),
        );
      }
    };
    // Events keep flowing in small random batches while the leases move.
    let running = true;
    const faultRandom = random.fork(2);
    const traffic = (async () => {
      while (running) {
        await put(faultRandom.int(20, 120));
        await sleep(faultRandom.int(200, 800));
      }
    })();
    // One fault outstanding at a time (a fault waits for the next post): a queue built up while nothing is posted
    // would otherwise all hit the end of the run, or be cleared unused.
    const FAULTS = ['client gone after apply', 'injected', 'client gone'];
    const answered = () => receiver.rejections.filter((r) => FAULTS.includes(r.reason)).length;
    const everyFaultAnswered = () => FAULTS.every((reason) => receiver.rejections.some((r) => r.reason === reason));
    let injected = 0;
    const faults = (async () => {
      while (running) {
        if (answered() >= injected) {
          const roll = faultRandom.next();
          const count = faultRandom.int(1, 3);
          if (roll < 0.35) receiver.injectFaults({ delayAfterApplyMillis: 700, count: 1 });
          else if (roll < 0.7) receiver.injectFaults({ status: 503, count });
          else receiver.injectFaults({ delayMillis: 700, count: 1 });
          injected += roll >= 0.35 && roll < 0.7 ? count : 1;
        }
        await sleep(faultRandom.int(300, 1500));
      }
    })();
    // The watcher reads the lease table first and WFM after it, so a state WFM got later cannot excuse a checkpoint.
    const violations: string[] = [];
    let checkpointsSeen = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const leases = await scanLeases(dynamo.client, APPLICATION).catch(() => []);
        const snapshot = stored.slice();
        const held = receiver.currentStates();
        checkpointsSeen += leases.filter((l) => /^\d+$/.test(l.checkpoint ?? '')).length;
        violations.push(...checkpointViolations(leases, snapshot, agents, known, held));
        await sleep(200);
      }
    })();
    const moves: string[] = [];

    // Act
    try {
      // 1. w1, capped at half the leases, takes them; w2 joins and takes the rest.
      const w1 = start('w1', { KCL_MAX_LEASES_FOR_WORKER: String(SHARDS / 2) });
      await waitFor(
        'w1 to hold half the leases',
        async () => (await owners()).filter((o) => o === w1.workerId).length === SHARDS / 2,
        120000,
        logs,
      );
      const w2 = start('w2');
      await waitFor('w2 to take the other leases', everyLeaseLive, 120000, logs);
      moves.push(`w2 joined: ${JSON.stringify(await owners())}`);
      // 2. A third worker joins; a lease holder that is not the leader (KCL 3's leader lock makes a leader's death
      // slow to fail over) is stopped with SIGTERM: its leases move to the newcomer.
      const w3 = start('w3');
      await sleep(15000); // w3 registers (worker metrics) before there are free leases to assign
      const leader = await leaderOf(dynamo.client, APPLICATION);
      const held = await owners();
      const stopped = [w2, w1].find((w) => w.workerId !== leader && held.includes(w.workerId))!;
      const stop = await stopped.stop(60000);
      expect(stop.code).toBe(0);
      await waitFor("the stopped worker's leases to move", everyLeaseLive, 150000, logs);
      moves.push(`${stopped.workerId} stopped (SIGTERM): ${JSON.stringify(await owners())}`);
      // 3. A fourth worker joins; another non-leader lease holder dies with kill -9.
      const w4 = start('w4');
      await sleep(15000);
      const nowHeld = await owners();
      const killed = [w3, w2, w1].find((w) => live(w) && w.workerId !== leader && nowHeld.includes(w.workerId))!;
      await killed.kill9();
      await waitFor("the killed worker's leases to move", everyLeaseLive, 150000, logs);
      moves.push(`${killed.workerId} killed (kill -9): ${JSON.stringify(await owners())}`);
      expect((await owners()).some((o) => o === w3.workerId || o === w4.workerId)).toBe(true);
      await waitFor('WFM to have answered every kind of fault', everyFaultAnswered, 90000, logs);
    } finally {
      running = false;
      await Promise.all([traffic, faults]);
    }
    receiver.clearFaults();
    const last = new Map<string, string>();
    for (const e of stored) last.set(e.shardId!, e.sequenceNumber!);
    const wrong = () =>
      [...agents.truth]
        .filter(([a, t]) => known(a) && receiver.currentStates().get(userCode(a)) !== t.code)
        .map(
          ([a, t]) =>
            `${userCode(a)}: last event says ${t.code}, WFM holds ${receiver.currentStates().get(userCode(a))}`,
        );
    await waitFor(
      "WFM to hold every known agent's last state and every shard to be checkpointed at its last record",
      async () =>
        wrong().length === 0 &&
        (await scanLeases(dynamo.client, APPLICATION)).every((l) => l.checkpoint === last.get(l.leaseKey)),
      120000,
      () => `seed ${SEED}: ${wrong().slice(0, 5).join('; ')}\n${moves.join('\n')}\n${logs()}`,
    );
    await sleep(1000);
    watching = false;
    await watcher;

    // Assess
    expect({ seed: SEED, wrong: wrong() }).toEqual({ seed: SEED, wrong: [] });
    expect({ seed: SEED, violations: [...new Set(violations)].slice(0, 20) }).toEqual({ seed: SEED, violations: [] });
    expect([...agents.truth.keys()].filter(known).length).toBeGreaterThan(300);
    for (const a of [...unknown, ...unstorable]) expect(receiver.currentStates().has(userCode(a))).toBe(false);
    expect(checkpointsSeen).toBeGreaterThan(100);
    const reasons = new Set(receiver.rejections.map((r) => r.reason));
    expect([...reasons].sort()).toEqual(
      expect.arrayContaining(['client gone', 'client gone after apply', 'injected', 'unknown user code']),
    );
    process.stderr.write(`KCL random convergence, seed ${SEED}: ${stored.length} events; ${moves.join('; ')}\n`);
  }, 420000);
});
