/**
 * bench:kcl-memory — peak RSS of one `kcl-processor` child (the real child, driven by the fake MultiLangDaemon) whose
 * agent-state table in DynamoDB Local holds 1,000,000 stored agent states, spread over STORED_SHARDS shards as a
 * partition key per agent spreads them (the child's own shard holds 1,000,000 / STORED_SHARDS of them). The child
 * initializes (loading its shard's agents), then processes KCL_RECORDS records of its agents (round after round,
 * every agent changing state each round) until everything is checkpointed. Peak RSS is the kernel's high-water mark
 * (VmHWM).
 *
 *   npm run bench:kcl-memory        (STORED_AGENTS=… STORED_SHARDS=… KCL_RECORDS=… to resize)
 */
import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDbCheckpointStore } from '../../consumer/src/checkpoint/DynamoDbCheckpointStore';
import { KCL_CHILD_ENV } from '../../consumer/src/runtime/nodeOptions';
import { KCL_CHILD_FLAGS, kclChildCommand } from './kclChildCommand';
import { RtaReceiver } from '../../local/rtaReceiver/RtaReceiver';
import { startDynamoDbLocal } from '../../local/emulators';
import { agentArn, agentEvent, sequenceNumber, userCode } from '../helpers/agentEvents';
import { FakeDaemon } from '../helpers/fakeDaemon';

const STORED_AGENTS = Number(process.env.STORED_AGENTS ?? 1_000_000);
const STORED_SHARDS = Number(process.env.STORED_SHARDS ?? 100);
const KCL_RECORDS = Number(process.env.KCL_RECORDS ?? 100_000);
const LIMIT_MB = 100;
const TABLE = 'bench-leases';
const SHARD = 'shardId-000000000000';
const AUTH_KEY = 'bench-key';
/** Override to compare V8 flags (default: what the KCL properties run a child with). */
const out = (line: string) => process.stdout.write(line + '\n');
const shardOf = (agent: number): string => `shardId-${String(agent % STORED_SHARDS).padStart(12, '0')}`;

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  const receiver = await RtaReceiver.start({ authKey: AUTH_KEY });
  try {
    const store = new DynamoDbCheckpointStore({
      client: dynamo.client,
      leaseTable: TABLE,
      agentStateTable: `${TABLE}-agent-states`,
      workerId: 'bench',
      createTables: true,
    });
    await store.prepare();
    await fill(dynamo.client);
    await measure(dynamo.endpoint, receiver);
  } finally {
    await receiver.stop();
    await dynamo.stop();
  }
}

async function fill(client: Parameters<typeof writeBatch>[0]): Promise<void> {
  const started = performance.now();
  const now = Date.now();
  const expiresAt = Math.floor(now / 1000) + 7 * 24 * 3600;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < STORED_AGENTS) {
      const first = next;
      next = Math.min(STORED_AGENTS, next + 25);
      const items: WriteRequest[] = [];
      for (let a = first; a < next; a++)
        items.push({
          PutRequest: {
            Item: {
              userCode: { S: userCode(a) },
              stateCode: { S: ['Available', 'Break', 'Lunch'][a % 3]! },
              agentArn: { S: agentArn(a) },
              eventTimeMillis: { N: String(now - 3600_000) },
              loggedOut: { BOOL: false },
              shardId: { S: shardOf(a) },
              updatedAt: { S: new Date(now).toISOString() },
              expiresAt: { N: String(expiresAt) },
            },
          },
        });
      await writeBatch(client, items);
      if (next % 100_000 === 0) process.stderr.write(`stored ${next} agent states\n`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  out(
    `stored ${STORED_AGENTS} agent states over ${STORED_SHARDS} shards in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

async function writeBatch(client: import('@aws-sdk/client-dynamodb').DynamoDBClient, items: WriteRequest[]) {
  let pending = items;
  while (pending.length > 0) {
    const { UnprocessedItems } = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [`${TABLE}-agent-states`]: pending } }),
    );
    pending = UnprocessedItems?.[`${TABLE}-agent-states`] ?? [];
  }
}

async function measure(endpoint: string, receiver: RtaReceiver): Promise<void> {
  const daemon = new FakeDaemon({
    executableName: kclChildCommand(),
    env: {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      CHECKPOINT_TABLE: TABLE,
      WFM_RTA_URL: receiver.url,
      WFM_AUTH_KEY: AUTH_KEY,
      RTA_WINDOW_MS: '1000',
      STATE_DIR: mkdtempSync(join(tmpdir(), 'bench-kcl-memory-')),
      METRICS_EMF: 'false',
      LOG_LEVEL: 'info',
    },
    shardId: SHARD,
    messageTimeoutMillis: 600_000,
  });
  const status = (): string => readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())?.[1] ?? 0);
  const started = performance.now();
  const init = await daemon.initialize('TRIM_HORIZON');
  if (init.kind !== 'ok')
    throw new Error(`initialize failed: ${JSON.stringify(init)} ${daemon.stderrLines.join('\n')}`);
  const initSeconds = (performance.now() - started) / 1000;
  const afterInit = kb('VmHWM') / 1024;
  // The child's own agents (agent % STORED_SHARDS === 0), round after round (each changes state every round).
  const own = Array.from({ length: Math.ceil(STORED_AGENTS / STORED_SHARDS) }, (_, i) => i * STORED_SHARDS);
  const t = Date.now();
  const batch = 1000;
  for (let i = 0; i < KCL_RECORDS; i += batch) {
    const records = Array.from({ length: Math.min(batch, KCL_RECORDS - i) }, (_, j) => {
      const n = i + j;
      const agent = own[n % own.length]!;
      return FakeDaemon.record(
        sequenceNumber(n + 1),
        agentEvent({ agent, status: ['Break', 'Lunch', 'Training'][n % 3]!, at: t + n }),
        agentArn(agent),
      );
    });
    const result = await daemon.processRecords(records, 0);
    if (result.kind !== 'ok')
      throw new Error(`processRecords failed: ${JSON.stringify(result)}\n${daemon.stderrLines.slice(-15).join('\n')}`);
  }
  const last = sequenceNumber(KCL_RECORDS);
  for (let i = 0; i < 600 && daemon.lease.checkpoint !== last; i++) {
    await new Promise((r) => setTimeout(r, 500));
    await daemon.processRecords([], 0);
  }
  const peak = kb('VmHWM') / 1024;
  const rss = kb('VmRSS') / 1024;
  await daemon.leaseLost();
  await daemon.close();
  const restored = daemon.stderrLines.find((l) => l.includes('restored delivered agent states')) ?? '';
  out(
    `kcl-processor child, ${STORED_AGENTS} agent states stored (${own.length} on its shard): ` +
      `initialize ${initSeconds.toFixed(1)} s, peak RSS ${afterInit.toFixed(0)} MB after initialize, ` +
      `${peak.toFixed(0)} MB peak after ${KCL_RECORDS} records (RSS now ${rss.toFixed(0)} MB; ` +
      `checkpointed ${daemon.lease.checkpoint === last ? 'all' : 'NOT all'}); ` +
      `${[...KCL_CHILD_ENV, ...KCL_CHILD_FLAGS].join(' ')}; target ≤ ${LIMIT_MB} MB: ${peak <= LIMIT_MB ? 'met' : 'NOT met'}`,
  );
  if (restored) out(`child log: ${restored}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:kcl-memory failed: ${String(error)}\n`);
  process.exitCode = 1;
});
