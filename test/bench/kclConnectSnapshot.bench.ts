/**
 * bench:kcl-connect — KCL mode's first start with Amazon Connect configured: time from starting
 * `node dist/cli/main.js kcl-daemon` (the Connect truth job, then the Java MultiLangDaemon) to the first correct board
 * (the IsSnapshot post equal to Connect's truth, as received by the Teleopti-contract receiver), the Connect API calls
 * it took, and when the snapshot was recorded in the agent-state table (the daemon starts after that), for 5,000
 * agents (4,500 logged in) on 60 routing profiles, on kinesis-mock, DynamoDB Local and the fake Connect API. Once
 * at the default CONNECT_REQUESTS_PER_SECOND (2) and once at a raised rate; the fake's quota is the rate allowed.
 *
 *   npm run bench:kcl-connect     (AGENTS=… PROFILES=… RATES=2,20 to resize)
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { FakeConnectApi } from '../../local/connectApi/FakeConnectApi';
import { RtaReceiver } from '../../local/rtaReceiver/RtaReceiver';
import { startDynamoDbLocal, startKinesisMock } from '../../local/emulators';
import { TEST_INSTANCE_ID, populateInstance } from '../helpers/connectInstance';
import { createStream, waitFor } from '../integration/consumer/directConsumerSupport';
import { statesOf } from '../integration/connect/connectSupport';
import { AUTH_KEY, createKclTables, KclWorker, requireKclJars } from '../integration/kcl/kclFleet';
import { AGENTS, CLI, out, PROFILES, RATES } from './connectBenchSettings';

async function main(): Promise<void> {
  requireKclJars();
  const [kinesis, dynamo] = await Promise.all([startKinesisMock(), startDynamoDbLocal()]);
  try {
    out(`bench:kcl-connect — KCL mode first start, ${AGENTS} agents on ${PROFILES} routing profiles`);
    for (const [i, rate] of RATES.entries()) {
      const stream = `bench-kcl-connect-${process.pid}-${i}`;
      const application = `bench-kcl-connect-${i}`;
      await createStream(kinesis.client, stream, 2);
      await createKclTables(dynamo.client, application);
      const receiver = await RtaReceiver.start({ authKey: AUTH_KEY });
      const connect = await FakeConnectApi.start({
        instanceId: TEST_INSTANCE_ID,
        rateLimit: { perSecond: rate, burst: 5 },
      });
      const env = {
        kinesisEndpoint: kinesis.endpoint,
        dynamoDbEndpoint: dynamo.endpoint,
        stream,
        application,
        receiver,
      };
      let worker: KclWorker | undefined;
      try {
        const instance = populateInstance(connect, AGENTS, PROFILES);
        const started = Date.now();
        worker = KclWorker.start(CLI, env, `bench-${i}`, {
          CONNECT_INSTANCE_ID: TEST_INSTANCE_ID,
          AWS_ENDPOINT_URL_CONNECT: connect.url,
          CONNECT_REQUESTS_PER_SECOND: String(rate),
          CONNECT_RECONCILE_INTERVAL_MS: '0',
        });
        const log = () => worker?.tail() ?? '';
        await waitFor('the first post', () => receiver.batches.length > 0, 300_000, log);
        const first = receiver.batches[0]!;
        const calls = connect.totalCalls;
        const marker = async () =>
          (
            await dynamo.client.send(
              new GetItemCommand({
                TableName: `${application}-agent-states`,
                Key: { userCode: { S: '#connect-truth' } },
                ConsistentRead: true,
              }),
            )
          ).Item?.firstStartSnapshotAtMillis;
        await waitFor('the snapshot in the table', async () => (await marker()) !== undefined, 300_000, log);
        const recordedMillis = Date.now() - started;
        const expected = instance.expected('status');
        const correct = first.isSnapshot && JSON.stringify([...statesOf(first)]) === JSON.stringify([...expected]);
        out(
          `  CONNECT_REQUESTS_PER_SECOND=${rate}: first correct board ${((first.receivedAt - started) / 1000).toFixed(1)} s ` +
            `after start (${correct ? 'snapshot equal to Connect' : 'NOT EQUAL to Connect'}, ${expected.size} logged-in ` +
            `agents); ${calls} Connect API calls (ListRoutingProfiles ${connect.calls.ListRoutingProfiles}, ` +
            `GetCurrentUserData ${connect.calls.GetCurrentUserData}, ListUsers ${connect.calls.ListUsers}; ` +
            `${connect.throttled} throttled); snapshot recorded in the agent-state table (daemon starting) ` +
            `${(recordedMillis / 1000).toFixed(1)} s after start`,
        );
        if (!correct) process.exitCode = 1;
        await worker.stop(60_000);
      } finally {
        worker?.cleanup();
        await Promise.all([receiver.stop(), connect.stop()]);
      }
    }
  } finally {
    await Promise.all([kinesis.stop(), dynamo.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:kcl-connect failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
