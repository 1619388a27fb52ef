import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { FakeConnectApi } from '../../../local/connectApi/FakeConnectApi';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../../local/emulators';
import { type KinesisMock, startKinesisMock } from '../../../local/emulators';
import { userCode } from '../../helpers/agentEvents';
import { TEST_INSTANCE_ID, populateInstance, userIdOf } from '../../helpers/connectInstance';
import { createStream, putEvents, shardOfAgent, sleep, waitFor } from '../consumer/directConsumerSupport';
import { statesOf } from '../connect/connectSupport';
import { AUTH_KEY, createKclTables, ensureBuilt, KclWorker, requireKclJars } from './kclFleet';

/**
 * KCL mode with CONNECT_INSTANCE_ID set, as it runs in production: `connect-wfm kcl-daemon` (the Connect truth job
 * next to the real Java MultiLangDaemon and its `kcl-processor` children) on kinesis-mock and DynamoDB Local, the
 * in-process fake Connect API, and the Teleopti-contract receiver. Each test has its own stream, tables and fake.
 */
let kinesis: KinesisMock;
let dynamo: DynamoDbLocal;
let cli: string;
const workers: KclWorker[] = [];
const closers: (() => Promise<void>)[] = [];
let testNumber = 0;

beforeAll(async () => {
  requireKclJars();
  cli = ensureBuilt();
  [kinesis, dynamo] = await Promise.all([startKinesisMock(), startDynamoDbLocal()]);
}, 180000);

afterEach(async () => {
  for (const w of workers.splice(0)) w.cleanup();
  await Promise.all(closers.splice(0).map((close) => close()));
});

afterAll(async () => {
  await Promise.all([kinesis?.stop(), dynamo?.stop()]);
});

async function fleet(env: Record<string, string> = {}) {
  const n = ++testNumber;
  const stream = `truth-${process.pid}-${n}`;
  const application = `truth-rta-${n}`;
  await createStream(kinesis.client, stream, 2);
  await createKclTables(dynamo.client, application);
  const receiver = await RtaReceiver.start({ authKey: AUTH_KEY });
  const connect = await FakeConnectApi.start({ instanceId: TEST_INSTANCE_ID, rateLimit: { perSecond: 50, burst: 10 } });
  closers.push(
    () => receiver.stop(),
    () => connect.stop(),
  );
  const mine: KclWorker[] = [];
  const start = (workerId: string, extra: Record<string, string> = {}): KclWorker => {
    const w = KclWorker.start(
      cli,
      { kinesisEndpoint: kinesis.endpoint, dynamoDbEndpoint: dynamo.endpoint, stream, application, receiver },
      `${workerId}-${n}`,
      {
        CONNECT_INSTANCE_ID: TEST_INSTANCE_ID,
        AWS_ENDPOINT_URL_CONNECT: connect.url,
        CONNECT_REQUESTS_PER_SECOND: '50',
        CONNECT_RECONCILE_INTERVAL_MS: '0',
        ...env,
        ...extra,
      },
    );
    workers.push(w);
    mine.push(w);
    return w;
  };
  const item = async (key: string) =>
    (
      await dynamo.client.send(
        new GetItemCommand({
          TableName: `${application}-agent-states`,
          Key: { userCode: { S: key } },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const logs = () => mine.map((w) => w.tail(40)).join('\n');
  return { stream, receiver, connect, start, item, logs };
}

const holderLine = 'this process runs the Amazon Connect truth job';

describe('KCL mode with Amazon Connect configured', () => {
  test('first start: 5,000 agents on 60 routing profiles; the first post is one snapshot equal to Connect, and no stream event older than it is posted', async () => {
    // Prepare
    const { stream, receiver, connect, start, item, logs } = await fleet();
    const instance = populateInstance(connect, 5000, 60);
    connect.throttleNext(3);
    // Act
    const startedAt = Date.now();
    start('w1');
    await waitFor('the first post', () => receiver.batches.length > 0, 60000, logs);
    const firstPostMillis = receiver.batches[0]!.receivedAt - startedAt;
    const calls = connect.totalCalls;
    // Recorded once every agent's snapshot state is in the table, before the daemon starts
    const marker = async () => Number((await item('#connect-truth'))?.firstStartSnapshotAtMillis?.N ?? NaN);
    await waitFor('the first-start marker', async () => !Number.isNaN(await marker()), 60000, logs);
    const snapshotAt = await marker();
    // Two agents of one shard: agent 1's event is from before the snapshot (Connect already reported a newer
    // state), agent 3's is newer than the snapshot; agent 3's is put last, so once WFM has it, agent 1's was read.
    const [stale, fresh] = [1, 3];
    expect(shardOfAgent(stale)).toBe(shardOfAgent(fresh));
    await putEvents(kinesis.client, stream, [
      { agent: stale, status: 'StaleStatus', at: snapshotAt - 2000 },
      { agent: fresh, status: 'FreshStatus', at: Date.now() },
    ]);
    await waitFor(
      'the newer stream state',
      () => receiver.currentStates().get(userCode(fresh)) === 'FreshStatus',
      90000,
      logs,
    );
    // the child records what it delivered after WFM's acknowledgement
    await waitFor(
      'the child to record it',
      async () => (await item(userCode(fresh)))?.stateCode?.S === 'FreshStatus',
      30000,
      logs,
    );
    const freshItem = await item(userCode(fresh));
    // Assess
    const first = receiver.batches[0]!;
    expect(first.isSnapshot).toBe(true);
    expect(statesOf(first)).toEqual(instance.expected('status'));
    expect(receiver.batches.filter((b) => b.isSnapshot)).toHaveLength(1);
    // How fast is a benchmark's question (npm run bench:kcl-connect), not a wall-clock bound that fails under load.
    expect(snapshotAt).toBeGreaterThanOrEqual(startedAt);
    expect(receiver.batches.flatMap((b) => b.states).some((s) => s.StateCode === 'StaleStatus')).toBe(false);
    expect(receiver.currentStates().get(userCode(stale))).toBe(instance.expected('status').get(userCode(stale)));
    expect(Number(freshItem?.eventTimeMillis?.N)).toBeGreaterThan(snapshotAt);
    expect(freshItem?.stateCode?.S).toBe('FreshStatus');
    expect((await item(userCode(stale)))?.stateCode?.S).toBe(instance.expected('status').get(userCode(stale)));
    process.stdout.write(
      `KCL mode, first correct board (5,000 agents, 4,500 logged in, 60 routing profiles): ${firstPostMillis} ms after ` +
        `kcl-daemon started, ${calls} Connect API calls (${connect.throttled} throttled)\n`,
    );
  }, 180000);

  test("reconciliation corrects an agent changed behind the pipeline's back, logs it and counts it; a newer stream state is not overwritten", async () => {
    // Prepare
    const { stream, receiver, connect, start, item, logs } = await fleet({
      CONNECT_RECONCILE_INTERVAL_MS: '1000',
      METRICS_EMF: 'true',
      METRICS_INTERVAL_MS: '1000',
    });
    populateInstance(connect, 200, 4, 50000);
    const w = start('w1');
    await waitFor('the snapshot', () => receiver.batches.length > 0, 60000, logs);
    await waitFor('a first reconciliation', () => w.log().includes('reconciled with Amazon Connect'), 30000, logs);
    // Act: Connect changes, the stream says nothing (a lost event, a WFM restore)
    const agent = connect.agents.get(userIdOf(50001))!;
    connect.upsertAgent({ ...agent, status: { name: 'Meeting', startMillis: Date.now() }, contacts: [] });
    await waitFor('the correction', () => receiver.currentStates().get(userCode(50001)) === 'Meeting', 30000, logs);
    await sleep(3000);
    // and the stream delivers a state newer than Connect's (the fake is one step behind): the stream's must stay
    await putEvents(kinesis.client, stream, [{ agent: 50002, status: 'StreamOnly', at: Date.now() + 60 * 60_000 }]);
    await waitFor(
      'the stream state',
      () => receiver.currentStates().get(userCode(50002)) === 'StreamOnly',
      90000,
      logs,
    );
    await sleep(3000);
    await w.stop(30000);
    // Assess
    const log = w.log();
    const corrections = log.split('\n').filter((l) => l.includes('agent state corrected from Amazon Connect'));
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toContain(userCode(50001));
    const counted = log
      .split('\n')
      .filter((l) => l.includes('"AgentsReconciled"'))
      .reduce(
        (sum, l) =>
          sum + Number((JSON.parse(l.slice(l.indexOf('{'))) as { AgentsReconciled: number }).AgentsReconciled),
        0,
      );
    expect(counted).toBe(1);
    expect((await item(userCode(50001)))?.stateCode?.S).toBe('Meeting');
    expect(receiver.currentStates().get(userCode(50002))).toBe('StreamOnly');
    expect((await item(userCode(50002)))?.stateCode?.S).toBe('StreamOnly');
    expect(receiver.batches.slice(1).every((b) => !b.isSnapshot)).toBe(true);
  }, 180000);

  test('two kcl-daemon processes: only one runs the job; when it is killed, the other takes over after the lease period', async () => {
    // Prepare: a 3 s lease (KCL_FAILOVER_TIME_MS, as in every fleet test)
    const { receiver, connect, start, logs } = await fleet({ CONNECT_RECONCILE_INTERVAL_MS: '1000' });
    populateInstance(connect, 100, 2, 60000);
    const w1 = start('w1');
    const w2 = start('w2');
    await waitFor('the snapshot', () => receiver.batches.length > 0, 60000, logs);
    await waitFor(
      'reconciliations',
      () => (w1.log() + w2.log()).split('reconciled with Amazon Connect').length > 3,
      30000,
      logs,
    );
    const holders = [w1, w2].filter((w) => w.log().includes(holderLine));
    expect(holders).toHaveLength(1);
    const [holder, other] = holders[0] === w1 ? [w1, w2] : [w2, w1];
    expect(other.log()).not.toContain('reconciled with Amazon Connect');
    // Act
    await holder.kill9();
    const killedAt = Date.now();
    await waitFor('the takeover', () => other.log().includes(holderLine), 30000, logs);
    const takeoverMillis = Date.now() - killedAt;
    const agent = connect.agents.get(userIdOf(60001))!;
    connect.upsertAgent({ ...agent, status: { name: 'Meeting', startMillis: Date.now() }, contacts: [] });
    await waitFor(
      'the new holder to correct',
      () => receiver.currentStates().get(userCode(60001)) === 'Meeting',
      30000,
      logs,
    );
    // the correction is logged once it is also recorded in the table
    await waitFor('the log line', () => other.log().includes('agent state corrected from Amazon Connect'), 30000, logs);
    // Assess
    expect(receiver.batches.filter((b) => b.isSnapshot)).toHaveLength(1);
    expect(takeoverMillis).toBeGreaterThan(1000);

    process.stdout.write(`KCL mode, Connect truth job taken over ${takeoverMillis} ms after its holder was killed\n`);
  }, 180000);
});
