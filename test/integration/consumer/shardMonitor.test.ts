import { SplitShardCommand } from '@aws-sdk/client-kinesis';
import { type ChildProcess, spawn } from 'node:child_process';
import { type KinesisLocal, startKinesisLocal } from '../../harness/kinesisLocal';
import { buildCli } from '../../helpers/buildCli';
import { createStream } from './directConsumerSupport';

let kinesis: KinesisLocal;
let child: ChildProcess | undefined;

beforeAll(async () => {
  kinesis = await startKinesisLocal();
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
