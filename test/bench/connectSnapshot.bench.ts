/**
 * bench:connect — a first start with Amazon Connect configured: time from starting `node dist/cli/main.js consume`
 * (direct mode, file store) to the first correct board (the IsSnapshot post equal to Connect's truth, as received by
 * the Teleopti-contract receiver), and the Connect API calls it took, for 5,000 agents (4,500 logged in) on 60
 * routing profiles, on kinesis-mock and the fake Connect API. Once at the default CONNECT_REQUESTS_PER_SECOND (2,
 * the documented general default quota) and once at a raised rate (a raised quota).
 *
 *   npm run build && npm run bench:connect     (AGENTS=… PROFILES=… RATES=2,20 to resize)
 */
import { FakeConnectApi } from '../../local/connectApi/FakeConnectApi';
import { RtaReceiver } from '../../local/rtaReceiver/RtaReceiver';
import { startKinesisMock } from '../../local/emulators';
import { TEST_INSTANCE_ID, populateInstance } from '../helpers/connectInstance';
import { createStream, waitFor } from '../integration/consumer/directConsumerSupport';
import { AUTH_KEY, consumerWithConnect, statesOf } from '../integration/connect/connectSupport';
import { AGENTS, CLI, out, PROFILES, RATES } from './connectBenchSettings';

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  const kinesis = await startKinesisMock();
  try {
    out(`bench:connect — first start, ${AGENTS} agents on ${PROFILES} routing profiles`);
    for (const [i, rate] of RATES.entries()) {
      const stream = `bench-connect-${process.pid}-${i}`;
      await createStream(kinesis.client, stream, 2);
      const receiver = await RtaReceiver.start({ authKey: AUTH_KEY });
      // The fake's quota is the rate the consumer is allowed (burst 5, as the documented default).
      const connect = await FakeConnectApi.start({
        instanceId: TEST_INSTANCE_ID,
        rateLimit: { perSecond: rate, burst: 5 },
      });
      try {
        const instance = populateInstance(connect, AGENTS, PROFILES);
        const started = Date.now();
        const c = consumerWithConnect(CLI, stream, kinesis.endpoint, receiver, connect, {
          CONNECT_REQUESTS_PER_SECOND: String(rate),
        });
        await waitFor('the first post', () => receiver.batches.length > 0, 300_000, c.log);
        const first = receiver.batches[0]!;
        const millis = first.receivedAt - started;
        await c.stop();
        const expected = instance.expected('status');
        const correct = first.isSnapshot && JSON.stringify([...statesOf(first)]) === JSON.stringify([...expected]);
        out(
          `  CONNECT_REQUESTS_PER_SECOND=${rate}: first correct board ${(millis / 1000).toFixed(1)} s after start ` +
            `(${correct ? 'snapshot equal to Connect' : 'NOT EQUAL to Connect'}, ${expected.size} logged-in agents); ` +
            `${connect.totalCalls} Connect API calls (ListRoutingProfiles ${connect.calls.ListRoutingProfiles}, ` +
            `GetCurrentUserData ${connect.calls.GetCurrentUserData}, ListUsers ${connect.calls.ListUsers}; ` +
            `${connect.throttled} throttled)`,
        );
        if (!correct) process.exitCode = 1;
      } finally {
        await Promise.all([receiver.stop(), connect.stop()]);
      }
    }
  } finally {
    await kinesis.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:connect failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
