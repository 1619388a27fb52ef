import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { agentArn, agentEvent } from '../../helpers/agentEvents';

export interface ConsumerProcess {
  child: ChildProcess;
  log(): string;
  /** SIGTERM, then the exit code (rejects after `timeoutMillis`). */
  stop(timeoutMillis?: number): Promise<number | null>;
  kill9(): Promise<void>;
}

/** Starts `connect-wfm consume` (the bundled real CLI) with the given environment. */
export function startConsumer(cli: string, env: Record<string, string>): ConsumerProcess {
  const child = spawn(process.execPath, [cli, 'consume'], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      METRICS_EMF: 'false',
      HEALTH_PORT: '0',
      RTA_WINDOW_MS: '200',
      KINESIS_POLL_INTERVAL_MS: '200',
      KINESIS_SHARD_SYNC_INTERVAL_MS: '500',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  return {
    child,
    log: () => output,
    stop: async (timeoutMillis = 30000) => {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`consumer did not exit within ${timeoutMillis} ms\n${output}`)),
            timeoutMillis,
          )),
      );
      try {
        const [code] = await Promise.race([exited, timeout]);
        return code;
      } finally {
        clearTimeout(timer);
      }
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function createStream(client: KinesisClient, name: string, shards: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (let i = 0; i < 100; i++) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await sleep(100);
  }
  throw new Error(`stream ${name} not active`);
}

/** Which of a 2-shard stream's shards an agent's events land in (Kinesis: MD5 of the partition key, halves). */
export function shardOfAgent(agent: number): 'shardId-000000000000' | 'shardId-000000000001' {
  const hash = BigInt(`0x${createHash('md5').update(agentArn(agent)).digest('hex')}`);
  return hash < 2n ** 127n ? 'shardId-000000000000' : 'shardId-000000000001';
}

export interface EventSpec {
  agent: number;
  status: string;
  at?: number;
}

/** PutRecords with the agent ARN as partition key, as Connect does; in order, 500 per call. */
export async function putEvents(client: KinesisClient, stream: string, events: EventSpec[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const chunk = events.slice(i, i + 500);
    const out = await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: chunk.map((e) => ({
          PartitionKey: agentArn(e.agent),
          Data: Buffer.from(JSON.stringify(agentEvent({ agent: e.agent, status: e.status, at: e.at }))),
        })),
      }),
    );
    if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records failed`);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMillis = 30000,
  log?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${log ? `\n--- consumer log ---\n${log().slice(-4000)}` : ''}`);
}
