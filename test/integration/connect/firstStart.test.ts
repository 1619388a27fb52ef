import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { FakeConnectApi } from '../../../local/connectApi/FakeConnectApi';
import { freePort, type KinesisMock, startKinesisMock } from '../../../local/emulators';
import { userCode } from '../../helpers/agentEvents';
import { buildCli } from '../../helpers/buildCli';
import { TEST_INSTANCE_ID, populateInstance, userIdOf } from '../../helpers/connectInstance';
import { type ConsumerProcess, createStream, waitFor } from '../consumer/directConsumerSupport';
import { AUTH_KEY, consumerWithConnect, statesOf } from './connectSupport';

/**
 * The real `connect-wfm consume` with CONNECT_INSTANCE_ID set, on kinesis-mock, the fake Connect API and the
 * Teleopti-contract receiver: a first start posts Connect's truth as one snapshot, and reconciliation corrects drift.
 */
let kinesis: KinesisMock;
let cli: string;
const running: ConsumerProcess[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  cli = buildCli();
  kinesis = await startKinesisMock();
}, 120000);

afterAll(async () => {
  for (const c of running) c.child.kill('SIGKILL');
  await Promise.all([kinesis?.stop(), ...closers.map((close) => close())]);
});

let streams = 0;
async function stack(rateLimit = { perSecond: 20, burst: 10 }) {
  const stream = `connect-truth-${process.pid}-${++streams}`;
  await createStream(kinesis.client, stream, 2);
  const receiver = await RtaReceiver.start({ authKey: AUTH_KEY });
  const connect = await FakeConnectApi.start({ instanceId: TEST_INSTANCE_ID, rateLimit });
  closers.push(
    () => receiver.stop(),
    () => connect.stop(),
  );
  const start = (env: Record<string, string> = {}) => {
    const c = consumerWithConnect(cli, stream, kinesis.endpoint, receiver, connect, env);
    running.push(c);
    return c;
  };
  return { stream, receiver, connect, start };
}

describe('first start with Amazon Connect configured', () => {
  test.each(['status', 'contact'] as const)(
    '%s mode: 5,000 agents on 60 routing profiles; the first post is one snapshot equal to Connect, read in pages through throttling',
    async (mode) => {
      // Prepare: the fake's quota is below the consumer's request rate, and its first answers are 429s
      const { receiver, connect, start } = await stack();
      const instance = populateInstance(connect, 5000, 60);
      connect.throttleNext(3);
      // Act
      const startedAt = Date.now();
      const c = start({ RTA_STATE_MODE: mode, CONNECT_REQUESTS_PER_SECOND: '50' });
      await waitFor('the first post', () => receiver.batches.length > 0, 30000, c.log);
      const firstPostMillis = receiver.batches[0]!.receivedAt - startedAt;
      await c.stop();
      // Assess
      const first = receiver.batches[0]!;
      expect(first.isSnapshot).toBe(true);
      expect(statesOf(first)).toEqual(instance.expected(mode));
      expect(receiver.batches).toHaveLength(1);
      expect(connect.calls.GetCurrentUserData).toBeGreaterThanOrEqual(45);
      expect(connect.largestPage).toBe(100);
      expect(connect.throttled).toBeGreaterThanOrEqual(3);
      // How fast is a benchmark's question (npm run bench:connect), not a wall-clock bound that fails under load.
      process.stdout.write(
        `first correct board (${mode} mode, 5,000 agents, 4,500 logged in): ${firstPostMillis} ms after start, ` +
          `${connect.totalCalls} Connect API calls (${connect.throttled} throttled)\n`,
      );
    },
    60000,
  );

  test("reconciliation corrects an agent changed behind the pipeline's back, logs it and counts it", async () => {
    // Prepare
    const { receiver, connect, start } = await stack();
    populateInstance(connect, 200, 4, 50000);
    const healthPort = await freePort();
    const c = start({ CONNECT_RECONCILE_INTERVAL_MS: '1000', HEALTH_PORT: String(healthPort) });
    await waitFor('the snapshot', () => receiver.batches.length > 0, 30000, c.log);
    const agent = connect.agents.get(userIdOf(50001))!;
    const before = receiver.currentStates().get(userCode(50001));
    // Act: Connect changes, the stream says nothing (a lost event, a WFM restore)
    connect.upsertAgent({ ...agent, status: { name: 'Meeting', startMillis: Date.now() }, contacts: [] });
    await waitFor('the correction', () => receiver.currentStates().get(userCode(50001)) === 'Meeting', 15000, c.log);
    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    await c.stop();
    // Assess
    expect(before).not.toBe('Meeting');
    const corrections = c
      .log()
      .split('\n')
      .filter((l) => l.includes('agent state corrected from Amazon Connect'));
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toContain(userCode(50001));
    expect(metrics).toMatch(/^connect_wfm_agents_reconciled_total 1$/m);
    expect(receiver.batches.slice(1).every((b) => !b.isSnapshot && b.states.length === 1)).toBe(true);
  }, 60000);
});
