import { SplitShardCommand } from '@aws-sdk/client-kinesis';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVALID_KEY_MESSAGE, RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { freePort, type KinesisMock, startKinesisMock } from '../../../local/emulators';
import { agentEvent, sequenceNumber } from '../../helpers/agentEvents';
import { buildCli } from '../../helpers/buildCli';
import { FakeDaemon } from '../../helpers/fakeDaemon';
import { createStream } from './directConsumerSupport';

let kinesis: KinesisMock;
let child: ChildProcess | undefined;

beforeAll(async () => {
  kinesis = await startKinesisMock();
}, 120_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await kinesis?.stop();
});

/** The OpenShardCount values the monitor has published so far, read from its EMF lines on stderr. */
function publishedCounts(stderr: string): number[] {
  return stderr
    .split('\n')
    .filter((line) => line.includes('"OpenShardCount"'))
    .map((line) => (JSON.parse(line) as { OpenShardCount: number }).OpenShardCount);
}

async function waitFor(check: () => boolean, millis: number): Promise<void> {
  for (const deadline = Date.now() + millis; Date.now() < deadline;) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

describe('shard-monitor (KCL mode OpenShardCount for autoscaling)', () => {
  it('publishes the open shard count and follows a split; exits 0 on SIGTERM', async () => {
    // Prepare
    await createStream(kinesis.client, 'monitored', 2);
    let stderr = '';
    child = spawn(process.execPath, [buildCli(), 'shard-monitor'], {
      env: {
        ...process.env,
        KINESIS_STREAM_NAME: 'monitored',
        AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        METRICS_INTERVAL_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    // Act
    await waitFor(() => publishedCounts(stderr).includes(2), 20_000);
    await kinesis.client.send(
      new SplitShardCommand({
        StreamName: 'monitored',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 126n).toString(),
      }),
    );
    await waitFor(() => publishedCounts(stderr).includes(3), 20_000);
    child.kill('SIGTERM');
    // Assess: the parent closed by the split is not counted (2 → 3 open), and a stop is clean
    expect(publishedCounts(stderr)).toContain(3);
    expect(publishedCounts(stderr).every((n) => n === 2 || n === 3)).toBe(true);
    expect(await exited).toBe(0);
  }, 60_000);

  it("serves the task's /healthz and /metrics from the kcl-processor children: red while WFM rejects the key", async () => {
    // Prepare: a child under a fake daemon posting with a wrong key, and the monitor on the same STATE_DIR
    await createStream(kinesis.client, 'health', 1);
    const receiver = await RtaReceiver.start({ authKey: 'the-right-key' });
    const stateDir = mkdtempSync(join(tmpdir(), 'cwfm-monitor-'));
    const port = await freePort();
    const daemon = new FakeDaemon({
      executableName: `${process.execPath} ${buildCli()} kcl-processor`,
      env: {
        WFM_RTA_URL: receiver.url,
        WFM_AUTH_KEY: 'a-wrong-key',
        RTA_WINDOW_MS: '200',
        RTA_RETRY_MAX_MS: '500',
        STATE_DIR: stateDir,
        METRICS_EMF: 'false',
      },
      messageTimeoutMillis: 20000,
    });
    child = spawn(process.execPath, [buildCli(), 'shard-monitor'], {
      env: {
        ...process.env,
        KINESIS_STREAM_NAME: 'health',
        AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        STATE_DIR: stateDir,
        HEALTH_PORT: String(port),
        METRICS_EMF: 'false',
      },
      stdio: 'ignore',
    });
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: await res.text() };
    };
    try {
      // Act: one batch, then the daemon's empty-batch ticks while the child keeps failing to post
      await daemon.initialize('TRIM_HORIZON');
      await daemon.processRecords([
        FakeDaemon.record(sequenceNumber(1), agentEvent({ agent: 1, status: 'Available' }), 'pk-1'),
      ]);
      let health = { status: 0, body: '' };
      for (let i = 0; i < 100 && health.status !== 503; i++) {
        await daemon.processRecords([]);
        await new Promise((r) => setTimeout(r, 200));
        health = await get('/healthz').catch(() => ({ status: 0, body: '' }));
      }
      // Assess: red, naming the shard and the HTTP status; the child's counters appear per shard
      expect(health.status).toBe(503);
      expect(health.body).toContain('shardId-000000000000');
      // The unauthenticated endpoint carries the status only, never WFM's reply text (it may echo the key).
      expect(health.body).toContain('Teleopti RTA rejected the request (HTTP 400)');
      expect(health.body).not.toContain(INVALID_KEY_MESSAGE);
      expect((await get('/metrics')).body).toMatch(
        /connect_wfm_post_failures_total\{shard_id="shardId-000000000000"\} [1-9]/,
      );
      // Act: the daemon ends the child (lease moved away); its status goes with it
      await daemon.leaseLost();
      await daemon.close();
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      daemon.kill();
      child.kill('SIGTERM');
      await receiver.stop();
    }
  }, 60_000);

  it('refuses to start without a stream, in one line', async () => {
    // Act
    const run = spawn(process.execPath, [buildCli(), 'shard-monitor'], {
      env: { PATH: process.env.PATH, METRICS_EMF: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain('KINESIS_STREAM_ARN or KINESIS_STREAM_NAME is required');
  }, 30_000);
});
