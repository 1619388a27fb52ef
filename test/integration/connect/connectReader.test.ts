import {
  ConnectClient,
  GetCurrentUserDataCommand,
  ListUsersCommand,
  InvalidRequestException,
} from '@aws-sdk/client-connect';
import { silentLogger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { createConnectClient } from '../../../common/aws/clients';
import { ConnectReader } from '../../../consumer/src/connect/ConnectReader';
import { ConnectSnapshotSource } from '../../../consumer/src/connect/ConnectSnapshotSource';
import { FakeConnectApi } from '../../../local/connectApi/FakeConnectApi';
import { userCode } from '../../helpers/agentEvents';
import { TEST_INSTANCE_ID, populateInstance, userIdOf } from '../../helpers/connectInstance';

/** The Connect reader against the fake Connect API over HTTP, through the SDK client the consumer builds. */
const fakes: FakeConnectApi[] = [];
const clients: ConnectClient[] = [];

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(fakes.map((f) => f.stop()));
});

async function fake(rateLimit?: { perSecond: number; burst: number }): Promise<FakeConnectApi> {
  const f = await FakeConnectApi.start({ instanceId: TEST_INSTANCE_ID, rateLimit });
  fakes.push(f);
  return f;
}

function reader(f: FakeConnectApi, requestsPerSecond = 1000, metrics = new MetricsRegistry()): ConnectReader {
  const client = createConnectClient({ region: 'us-east-1', endpoint: f.url });
  clients.push(client);
  return new ConnectReader({
    client,
    instanceId: TEST_INSTANCE_ID,
    requestsPerSecond,
    maxAttempts: 20,
    logger: silentLogger,
    metrics,
    retryBaseMillis: 20,
    retryMaxMillis: 200,
  });
}

describe('Connect reader on the fake Connect API', () => {
  test('5,000 agents across 60 routing profiles: every logged-in agent, 100 per page, one filter call set, usernames resolved', async () => {
    // Prepare
    const f = await fake();
    const instance = populateInstance(f, 5000, 60);
    // Act
    const read = await reader(f).currentAgents();
    // Assess
    const expected = instance.expected('status');
    expect(read.agents).toHaveLength(expected.size);
    expect(new Set(read.agents.map((a) => a.username))).toEqual(new Set(expected.keys()));
    expect(f.calls).toEqual({ ListRoutingProfiles: 1, GetCurrentUserData: 45, ListUsers: 5 });
    expect(read.calls).toBe(51);
    expect(f.largestPage).toBe(100);
    expect(f.largestFilter).toBe(60);
  });

  test('more than 100 routing profiles: split into filters of at most 100, each paged to its end', async () => {
    // Prepare
    const f = await fake();
    populateInstance(f, 1000, 250);
    // Act
    const read = await reader(f).currentAgents();
    // Assess
    expect(read.agents).toHaveLength(900);
    expect(f.largestFilter).toBe(100);
    expect(f.calls.GetCurrentUserData).toBe(4 + 4 + 2); // 360 + 360 + 180 logged in, pages of 100
    expect(f.rejections).toEqual([]);
  });

  test('throttled (429) beyond the fake quota: retried with back-off until complete, and counted', async () => {
    // Prepare
    const f = await fake({ perSecond: 5, burst: 2 });
    populateInstance(f, 2000, 60, 10000);
    const metrics = new MetricsRegistry();
    // Act
    const read = await reader(f, 1000, metrics).currentAgents();
    // Assess
    expect(read.agents).toHaveLength(1800);
    expect(f.throttled).toBeGreaterThan(0);
    const throttled = metrics.snapshot().filter((s) => s.name === 'ConnectThrottled');
    expect(throttled.reduce((n, s) => n + s.value, 0)).toBe(f.throttled);
  });

  test('the configured request rate keeps the reader under the quota: no 429 at all', async () => {
    // Prepare
    const f = await fake({ perSecond: 10, burst: 2 });
    populateInstance(f, 300, 5, 20000);
    // Act
    const read = await reader(f, 8).currentAgents();
    // Assess
    expect(read.agents).toHaveLength(270);
    expect(f.throttled).toBe(0);
  });

  test('an agent id not in the ListUsers cache re-reads ListUsers once; a known set does not', async () => {
    // Prepare
    const f = await fake();
    populateInstance(f, 150, 3, 30000);
    const r = reader(f);
    await r.currentAgents();
    const listUsersBefore = f.calls.ListUsers;
    await r.currentAgents();
    const unchanged = f.calls.ListUsers - listUsersBefore;
    populateInstance(f, 1, 3, 31000);
    // Act
    const read = await r.currentAgents();
    // Assess
    expect(unchanged).toBe(0);
    expect(f.calls.ListUsers - listUsersBefore).toBe(1);
    expect(read.agents.map((a) => a.username)).toContain(userCode(31000));
  });

  test('the snapshot source maps user data to state codes in status and contact mode', async () => {
    // Prepare
    const f = await fake();
    const instance = populateInstance(f, 700, 7, 40000);
    const r = reader(f);
    // Act
    const status = await new ConnectSnapshotSource(r, { stateMode: 'status', loggedOutStateCode: 'LOGGED_OUT' }).take();
    const contact = await new ConnectSnapshotSource(r, {
      stateMode: 'contact',
      loggedOutStateCode: 'LOGGED_OUT',
    }).take();
    // Assess
    expect(new Map(status.states.map((s) => [s.userCode, s.stateCode]))).toEqual(instance.expected('status'));
    expect(new Map(contact.states.map((s) => [s.userCode, s.stateCode]))).toEqual(instance.expected('contact'));
    expect(status.states[0]!.agentArn).toBe(f.userArn(userIdOf(40000)));
  });
});

describe('the fake Connect API enforces the documented contract', () => {
  const client = (f: FakeConnectApi) => {
    const c = createConnectClient({ region: 'us-east-1', endpoint: f.url });
    clients.push(c);
    return c;
  };

  test('filters: one type per call, at most 100 values, MaxResults at most 100 — else 400 InvalidRequestException', async () => {
    // Prepare
    const f = await fake();
    const c = client(f);
    const call = (input: Partial<ConstructorParameters<typeof GetCurrentUserDataCommand>[0]>) =>
      c.send(new GetCurrentUserDataCommand({ InstanceId: TEST_INSTANCE_ID, Filters: {}, ...input }));
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `rp-${i}`);
    // Act
    const outcomes = await Promise.allSettled([
      call({ Filters: { RoutingProfiles: ['rp-1'], Queues: ['q-1'] } }),
      call({ Filters: { RoutingProfiles: ids(101) } }),
      call({ Filters: {} }),
      call({ Filters: { UserHierarchyGroups: ['g1', 'g2'] } }),
      call({ Filters: { RoutingProfiles: ['rp-1'] }, MaxResults: 101 }),
      call({ Filters: { RoutingProfiles: ['rp-1'] }, NextToken: 'forged' }),
      call({ Filters: { RoutingProfiles: ids(100) } }),
    ]);
    // Assess
    const rejected = outcomes.slice(0, 6);
    for (const o of rejected) {
      expect(o.status).toBe('rejected');
      const error = (o as PromiseRejectedResult).reason as InvalidRequestException;
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
    expect(outcomes[6]!.status).toBe('fulfilled');
  });

  test('another instance is 404 ResourceNotFoundException; an unsigned request is 403', async () => {
    // Prepare
    const f = await fake();
    // Act
    const wrong = await client(f)
      .send(new ListUsersCommand({ InstanceId: 'another-instance' }))
      .catch((e: Error) => e);
    const unsigned = await fetch(`${f.url}/users-summary/${TEST_INSTANCE_ID}`);
    // Assess
    expect((wrong as Error).name).toBe('ResourceNotFoundException');
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  });
});
