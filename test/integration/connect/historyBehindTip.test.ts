import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { FakeConnectApi } from '../../../local/connectApi/FakeConnectApi';
import { type KinesisMock, startKinesisMock } from '../../../local/emulators';
import { STATUSES, userCode } from '../../helpers/agentEvents';
import { buildCli } from '../../helpers/buildCli';
import { TEST_INSTANCE_ID, populateInstance, userIdOf } from '../../helpers/connectInstance';
import { type ConsumerProcess, createStream, putEvents, sleep, waitFor } from '../consumer/directConsumerSupport';
import { AUTH_KEY, consumerWithConnect, statesOf } from './connectSupport';

/**
 * End to end: kinesis-mock holding 24 hours of agent events behind the tip, the fake Connect API holding the truth,
 * the real CLI in direct mode. Without Connect the consumer would read the whole day before posting anything.
 */
let kinesis: KinesisMock;
let receiver: RtaReceiver;
let connect: FakeConnectApi;
let cli: string;
const running: ConsumerProcess[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  cli = buildCli();
  [kinesis, receiver, connect] = await Promise.all([
    startKinesisMock(),
    RtaReceiver.start({ authKey: AUTH_KEY }),
    FakeConnectApi.start({ instanceId: TEST_INSTANCE_ID, rateLimit: { perSecond: 20, burst: 10 } }),
  ]);
}, 120000);

afterAll(async () => {
  for (const c of running) c.child.kill('SIGKILL');
  await Promise.all([kinesis?.stop(), receiver?.stop(), connect?.stop(), ...closers.map((close) => close())]);
});

test("24 h of history behind the tip: the first post is Connect's snapshot, not history; live changes follow; final states equal the truth", async () => {
  // Prepare: a day of history for 400 agents (a change every two hours, old event times), the truth in Connect
  const stream = `history-${process.pid}`;
  await createStream(kinesis.client, stream, 2);
  const instance = populateInstance(connect, 400, 60, 60000);
  const hour = 3600 * 1000;
  const dayAgo = Date.now() - 24 * hour;
  await putEvents(
    kinesis.client,
    stream,
    Array.from({ length: 12 }, (_, h) =>
      instance.agents.map((agent) => ({ agent, status: `H${h}`, at: dayAgo + 2 * h * hour })),
    ).flat(),
  );
  await sleep(6000); // the history's arrival lies before the snapshot's read position (5 s margin)
  // Act
  const c = consumerWithConnect(cli, stream, kinesis.endpoint, receiver, connect, { KINESIS_MAX_RECORDS: '500' });
  running.push(c);
  await waitFor('the snapshot', () => receiver.batches.length > 0, 30000, c.log);
  // Live changes after the start, in Connect and on the stream alike
  const live = instance.agents.slice(0, 50);
  const now = Date.now();
  live.forEach((agent, i) => {
    const a = connect.agents.get(userIdOf(agent))!;
    connect.upsertAgent({
      ...a,
      loggedIn: true,
      status: { name: STATUSES[(i + 2) % 5]!, startMillis: now },
      contacts: [],
    });
  });
  await putEvents(
    kinesis.client,
    stream,
    live.map((agent, i) => ({ agent, status: STATUSES[(i + 2) % 5]!, at: now })),
  );
  const truth = new Map(instance.expected('status'));
  live.forEach((agent, i) => truth.set(userCode(agent), STATUSES[(i + 2) % 5]!));
  await waitFor(
    'the live changes',
    () => [...truth].every(([user, code]) => receiver.currentStates().get(user) === code),
    30000,
    c.log,
  );
  await sleep(1500);
  await c.stop();
  // Assess
  const first = receiver.batches[0]!;
  expect(first.isSnapshot).toBe(true);
  expect(statesOf(first)).toEqual(instance.expected('status'));
  const everyPosted = receiver.batches.flatMap((b) => b.states.map((s) => s.StateCode));
  expect(everyPosted.filter((code) => /^H\d+$/.test(code))).toEqual([]);
  const finalStates = receiver.currentStates();
  for (const agent of instance.agents)
    expect([agent, finalStates.get(userCode(agent))]).toEqual([agent, truth.get(userCode(agent))]);
}, 120000);

test("an outage beyond the retention: the restart begins with Connect's snapshot, not the stale checkpoint", async () => {
  // Prepare: a first run without Connect delivers states from events 30 h old, and checkpoints them
  const stream = `outage-${process.pid}`;
  await createStream(kinesis.client, stream, 2);
  // An instance of its own: the one above still reports the first test's agents.
  const connect = await FakeConnectApi.start({ instanceId: TEST_INSTANCE_ID });
  closers.push(() => connect.stop());
  const instance = populateInstance(connect, 100, 5, 70000);
  await putEvents(
    kinesis.client,
    stream,
    instance.agents.map((agent) => ({ agent, status: 'Old', at: Date.now() - 30 * 3600 * 1000 })),
  );
  const stateDir = mkdtempSync(join(tmpdir(), 'cwfm-outage-'));
  const first = consumerWithConnect(cli, stream, kinesis.endpoint, receiver, connect, {
    STATE_DIR: stateDir,
    CONNECT_INSTANCE_ID: '',
  });
  running.push(first);
  await waitFor(
    'the old states',
    () => instance.agents.every((a) => receiver.currentStates().get(userCode(a)) === 'Old'),
    30000,
    first.log,
  );
  await sleep(1500); // the checkpoint follows the acknowledgement
  expect(await first.stop()).toBe(0);
  const batchesBefore = receiver.batches.length;
  // Act: restart with Connect
  const second = consumerWithConnect(cli, stream, kinesis.endpoint, receiver, connect, { STATE_DIR: stateDir });
  running.push(second);
  await waitFor('the snapshot', () => receiver.batches.length > batchesBefore, 30000, second.log);
  await second.stop();
  // Assess
  const snapshot = receiver.batches[batchesBefore]!;
  expect(snapshot.isSnapshot).toBe(true);
  expect(statesOf(snapshot)).toEqual(instance.expected('status'));
  expect(second.log()).toMatch(
    /read the Amazon Connect snapshot; it is the next post to WFM.*"reason":"beyond retention"/,
  );
}, 120000);
