import { CreateTableCommand, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { agentArn, agentEvent, userCode } from '../../helpers/agentEvents';

/**
 * The real KCL fleet in tests: `connect-wfm kcl-daemon` from this build (dist/, what `npx connect-wfm` runs), the Java
 * MultiLangDaemon with the jars of `npm run kcl:jars`, and its `kcl-processor` children; kinesis-mock and DynamoDB
 * Local from local/emulators. Timing settings shorten failover for tests only (production keeps the defaults).
 */
/** The repository: three levels up in the sources, four in dist/ (bench:kcl). */
export const REPO_ROOT = [join(__dirname, '..', '..', '..'), join(__dirname, '..', '..', '..', '..')].find((dir) =>
  existsSync(join(dir, 'kcl', 'pom.xml')),
)!;
export const AUTH_KEY = 'kcl-fleet-key';

/** `npm run build` when dist/ is older than the sources (the same check and lock as `npm start`). */
export function ensureBuilt(): string {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'ensure-installed.js')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
  if (r.status !== 0 || !existsSync(cli)) throw new Error(`the build failed:\n${r.stderr}`);
  return cli;
}

/** Fails with one line when the daemon's jars are missing (never a skip). */
export function requireKclJars(): void {
  const dir = join(REPO_ROOT, '.kcl', 'jars');
  const ok =
    existsSync(dir) && spawnSync('sh', ['-c', `ls ${dir} | grep -q amazon-kinesis-client-multilang`]).status === 0;
  if (!ok) throw new Error('the KCL jars are missing: run `npm run kcl:jars` (Maven; .ci/run does it)');
  if (spawnSync('java', ['-version']).error) throw new Error('java is missing: install a Java 17 runtime');
}

/** The tables Terraform creates for KCL 3 (infra/terraform/dynamodb.tf), created the same way here. */
export async function createKclTables(ddb: DynamoDBClient, application: string): Promise<void> {
  await ddb.send(
    new CreateTableCommand({
      TableName: application,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'leaseKey', AttributeType: 'S' },
        { AttributeName: 'leaseOwner', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'LeaseOwnerToLeaseKeyIndex',
          KeySchema: [
            { AttributeName: 'leaseOwner', KeyType: 'HASH' },
            { AttributeName: 'leaseKey', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
  for (const [suffix, key] of [
    ['CoordinatorState', 'key'],
    ['WorkerMetricStats', 'wid'],
  ] as const)
    await ddb.send(
      new CreateTableCommand({
        TableName: `${application}-${suffix}`,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      }),
    );
}

export interface Lease {
  leaseKey: string;
  leaseOwner: string | undefined;
  checkpoint: string | undefined;
}

export async function scanLeases(ddb: DynamoDBClient, application: string): Promise<Lease[]> {
  const out = await ddb.send(new ScanCommand({ TableName: application, ConsistentRead: true }));
  return (out.Items ?? []).map((item) => ({
    leaseKey: item.leaseKey?.S ?? '',
    leaseOwner: item.leaseOwner?.S,
    checkpoint: item.checkpoint?.S,
  }));
}

/** The worker holding KCL 3's leader lock (an item of the coordinator state table with an `ownerName`). */
export async function leaderOf(ddb: DynamoDBClient, application: string): Promise<string | undefined> {
  const out = await ddb.send(new ScanCommand({ TableName: `${application}-CoordinatorState`, ConsistentRead: true }));
  return out.Items?.find((item) => item.ownerName?.S)?.ownerName?.S;
}

export interface FleetEnv {
  kinesisEndpoint: string;
  dynamoDbEndpoint: string;
  stream: string;
  application: string;
  receiver: RtaReceiver;
}

/** One worker: `connect-wfm kcl-daemon` in its own process group (an ECS task), its log in a file. */
export class KclWorker {
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  private constructor(
    readonly workerId: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  }

  static start(cli: string, env: FleetEnv, workerId: string, extra: Record<string, string> = {}): KclWorker {
    const dir = mkdtempSync(join(tmpdir(), `cwfm-kcl-${workerId}-`));
    const logFile = join(dir, 'worker.log');
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [cli, 'kcl-daemon'], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        // The documented variables only (README: KCL mode).
        KINESIS_STREAM_NAME: env.stream,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_KINESIS: env.kinesisEndpoint,
        AWS_ENDPOINT_URL_DYNAMODB: env.dynamoDbEndpoint,
        CHECKPOINT_TABLE: env.application,
        KCL_WORKER_ID: workerId,
        STATE_DIR: join(dir, 'state'),
        WFM_RTA_URL: env.receiver.url,
        WFM_AUTH_KEY: AUTH_KEY,
        // Quick failover and small windows for tests; production keeps KCL's and our defaults.
        KCL_FAILOVER_TIME_MS: '3000',
        KCL_PARENT_SHARD_POLL_INTERVAL_MS: '1000',
        KINESIS_SHARD_SYNC_INTERVAL_MS: '2000',
        KINESIS_POLL_INTERVAL_MS: '200',
        RTA_WINDOW_MS: '300',
        SHUTDOWN_TIMEOUT_MS: '5000',
        METRICS_EMF: 'false',
        HEALTH_PORT: '0',
        LOG_LEVEL: 'info',
        JAVA_OPTS: '-Xmx256m -XX:+ExitOnOutOfMemoryError',
        ...extra,
      },
    });
    closeSync(fd);
    return new KclWorker(workerId, child, logFile);
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** The last lines of the log, for failure messages. */
  tail(lines = 60): string {
    return `--- ${this.workerId} ---\n${this.log().split('\n').slice(-lines).join('\n')}`;
  }

  /** A task dying: SIGKILL to the whole process group (the node supervisor, the JVM, every child). */
  async kill9(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    process.kill(-this.child.pid!, 'SIGKILL');
    await this.exited;
  }

  /** ECS stopping the task: SIGTERM to kcl-daemon (tini forwards it to the entrypoint's exec'd process). */
  async stop(timeoutMillis: number): Promise<{ code: number | null; millis: number }> {
    const started = Date.now();
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.workerId} did not exit within ${timeoutMillis} ms`)),
        timeoutMillis,
      );
    });
    try {
      const [code] = await Promise.race([this.exited, timeout]);
      return { code, millis: Date.now() - started };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Leftovers of a finished test: anything of this worker still running is killed. */
  cleanup(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Every record put, so a test can say what WFM must hold at any checkpoint. */
export interface PutRecord {
  agent: number;
  status: string;
  shardId: string;
  sequenceNumber: string;
}

/**
 * PutRecords with the agent ARN as partition key (as Connect does), one event per agent and status, in order.
 * Event times increase with the call, so the newest event of an agent is its last one put.
 */
export async function putStatuses(
  kinesis: KinesisClient,
  stream: string,
  events: { agent: number; status: string }[],
): Promise<PutRecord[]> {
  const put: PutRecord[] = [];
  const base = Date.now();
  for (let i = 0; i < events.length; i += 500) {
    const chunk = events.slice(i, i + 500);
    const out = await kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: chunk.map((e, j) => ({
          PartitionKey: agentArn(e.agent),
          Data: Buffer.from(JSON.stringify(agentEvent({ ...e, at: base + i + j }))),
        })),
      }),
    );
    if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records failed`);
    out.Records!.forEach((r, j) => put.push({ ...chunk[j]!, shardId: r.ShardId!, sequenceNumber: r.SequenceNumber! }));
  }
  return put;
}

/** Decimal strings of any length compared as numbers. */
export const seqAtMost = (a: string, b: string): boolean => (a.length !== b.length ? a.length < b.length : a <= b);

/**
 * The convergence invariant, checked against one observation of the lease table: for every checkpoint, each agent's
 * last event on that shard up to the checkpoint (or a later one of the same agent) is a state WFM has accepted.
 */
export function checkpointViolations(leases: Lease[], put: PutRecord[], receiver: RtaReceiver): string[] {
  const accepted = new Map<string, Set<string>>();
  for (const batch of receiver.batches)
    for (const s of batch.states) {
      if (!accepted.has(s.UserCode)) accepted.set(s.UserCode, new Set());
      accepted.get(s.UserCode)!.add(s.StateCode);
    }
  const violations: string[] = [];
  for (const lease of leases) {
    const checkpoint = lease.checkpoint;
    if (!checkpoint || !/^\d+$/.test(checkpoint)) continue; // TRIM_HORIZON, AT_TIMESTAMP, SHARD_END
    const onShard = put.filter((r) => r.shardId === lease.leaseKey);
    const agents = new Set(onShard.filter((r) => seqAtMost(r.sequenceNumber, checkpoint)).map((r) => r.agent));
    for (const agent of agents) {
      const events = onShard.filter((r) => r.agent === agent);
      const covered = events.filter((r) => seqAtMost(r.sequenceNumber, checkpoint));
      const fromLast = events.slice(covered.length - 1).map((r) => r.status);
      const got = accepted.get(userCode(agent)) ?? new Set();
      if (!fromLast.some((status) => got.has(status)))
        violations.push(
          `${lease.leaseKey} checkpoint ${checkpoint} passed ${userCode(agent)}=${fromLast[0]} before WFM had it`,
        );
    }
  }
  return violations;
}

/** The agents' last statuses, as WFM must finally hold them. */
export function finalStatuses(put: PutRecord[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const r of put) last.set(userCode(r.agent), r.status);
  return last;
}
