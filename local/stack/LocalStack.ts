import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_AUTH_KEY } from '../../common/config/rtaConfig';
import { readTransferConfig } from '../../common/config/transferConfig';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/logging/logger';
import { MetricsRegistry } from '../../common/observability/metrics';
import { createAwsClients } from '../../processors/transfer/src/awsClients';
import { TransferRuntime } from '../../processors/transfer/src/TransferRuntime';
import { runSimulation } from '../../simulator/src/runSimulation';
import { SeededRandom } from '../../simulator/src/SeededRandom';
import { simulate } from '../../simulator/src/simulate';
import { KinesisEventSink } from '../../simulator/src/sinks/KinesisEventSink';
import { S3CtrSink } from '../../simulator/src/sinks/S3CtrSink';
import { AgentBoard } from '../board/AgentBoard';
import { FakeConnectApi } from '../connectApi/FakeConnectApi';
import { type BoardData, BoardServer } from '../board/BoardServer';
import { RtaReceiver } from '../rtaReceiver/RtaReceiver';
import { LocalSftpServer } from '../sftp/LocalSftpServer';
import {
  EMULATOR_CREDENTIALS,
  EMULATOR_REGION,
  freePort,
  httpReady,
  portOrFree,
  ServiceProcess,
  startKinesisMock,
  startS3rver,
} from '../emulators';

export const LOCAL_STREAM = 'connect-agent-events';
/** The instance id the consumer asks the local Connect API about (the simulator's instance, whatever its day). */
export const LOCAL_CONNECT_INSTANCE = 'local-simulated-instance';
export const LOCAL_BUCKET = 'connect-ctr-local';
export const LOCAL_SOURCE_ID = 'AmazonConnect';
export const SFTP_USER = 'wfm';
export const SFTP_REMOTE_DIR = '/upload';
const REGION = EMULATOR_REGION;
const LOCAL_CREDENTIALS = EMULATOR_CREDENTIALS;

export interface LocalStackOptions {
  /** Wiped at start: the emulators start empty, so old checkpoints would point nowhere. */
  stateDir: string;
  /** The CLI entry (dist/cli/main.js) whose `consume` command is the consumer. */
  cliScript: string;
  agents: number;
  speed: number;
  durationMillis: number;
  seed: number;
  contactsPerAgentHour: number;
  shards: number;
  rtaPort: number;
  boardPort: number;
  /** Simulated Firehose buffering interval. */
  ctrBufferMillis: number;
  /** RTA window of the consumer (ms). */
  windowMillis: number;
  /** Passed to the consumer as they are (RTA_STATE_MODE, LOG_LEVEL). */
  consumerSettings: Record<string, string>;
  logger: Logger;
}

export interface StackStatus {
  eventsPerSecond: number;
  eventsSent: number;
  agents: number;
  loggedIn: number;
  posts: number;
  statesPosted: number;
  lagMillis: number | null;
  ctrObjects: number;
  csvFiles: number;
  transferFailures: number;
  simulatedTime: string;
  consumerRunning: boolean;
}

/**
 * The whole product on one machine, nothing needed but Node: kinesis-mock (child process), the Teleopti-compatible
 * RTA receiver, the real consumer (`connect-wfm consume`, direct mode, embedded file store; child process), the
 * simulator writing agent events to the stream and Firehose-style CTR objects to a local S3 (s3rver), the real
 * transfer code turning each new object into a CSV on a local SFTP server (ssh2, host key pinned), and the board.
 */
export class LocalStack {
  private readonly closers: { name: string; close: () => Promise<void> }[] = [];
  private readonly abort = new AbortController();
  private readonly eventTimes: number[] = [];
  private eventsSent = 0;
  private simulatedNow = 0;
  private ctrObjects = 0;
  private csvFiles = 0;
  private transferFailures = 0;
  private lagMillis: number | null = null;
  private transferChain: Promise<void> = Promise.resolve();
  private transferObject: (key: string) => void = () => undefined;
  private simulation: Promise<void> = Promise.resolve();
  private lagTimer: NodeJS.Timeout | undefined;
  private consumer: ServiceProcess | undefined;
  private readonly board = new AgentBoard();
  receiver!: RtaReceiver;
  connectApi!: FakeConnectApi;
  sftp!: LocalSftpServer;
  boardServer!: BoardServer;
  kinesisEndpoint = '';
  s3Endpoint = '';
  consumerHealthUrl = '';
  sftpPassword = '';

  private constructor(private readonly options: LocalStackOptions) {}

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const stack = new LocalStack(options);
    try {
      await stack.startAll();
      return stack;
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }

  get boardUrl(): string {
    return this.boardServer.url;
  }

  status(): StackStatus {
    const now = Date.now();
    while (this.eventTimes.length > 0 && this.eventTimes[0]! < now - 5000) this.eventTimes.shift();
    const states = this.receiver.currentStates();
    const loggedOut = /logged.?out|offline|logged-off/i;
    return {
      eventsPerSecond: this.eventTimes.length / 5,
      eventsSent: this.eventsSent,
      agents: states.size,
      loggedIn: [...states.values()].filter((s) => !loggedOut.test(s)).length,
      posts: this.receiver.totalBatches,
      statesPosted: this.receiver.totalStates,
      lagMillis: this.lagMillis,
      ctrObjects: this.ctrObjects,
      csvFiles: this.csvFiles,
      transferFailures: this.transferFailures,
      simulatedTime: this.simulatedNow ? new Date(this.simulatedNow).toISOString().slice(0, 19) + 'Z' : '-',
      consumerRunning: this.consumer?.running ?? false,
    };
  }

  /** Stops everything in reverse order of start; safe to call twice. */
  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.lagTimer);
    await this.simulation.catch(() => undefined);
    while (this.closers.length > 0) {
      const c = this.closers.pop()!;
      await c
        .close()
        .catch((e: unknown) => this.options.logger.warn('stop failed', { service: c.name, error: errorMessage(e) }));
    }
  }

  private onClose(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  private async startAll(): Promise<void> {
    const o = this.options;
    const log = o.logger;
    rmSync(o.stateDir, { recursive: true, force: true });
    const logs = join(o.stateDir, 'logs');
    for (const d of [
      logs,
      join(o.stateDir, 's3'),
      join(o.stateDir, 'sftp', SFTP_REMOTE_DIR),
      join(o.stateDir, 'consumer'),
    ])
      mkdirSync(d, { recursive: true });

    // 1. Kinesis (kinesis-mock) and the agent event stream.
    const kinesisMock = await startKinesisMock({ logFile: join(logs, 'kinesis-mock.log') });
    this.onClose('kinesis-mock', () => kinesisMock.stop());
    this.kinesisEndpoint = kinesisMock.endpoint;
    const kinesis = kinesisMock.client;
    await kinesis.send(new CreateStreamCommand({ StreamName: LOCAL_STREAM, ShardCount: o.shards }));
    for (let i = 0; ; i++) {
      const s = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: LOCAL_STREAM }));
      if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      if (i > 100) throw new Error('the local stream did not become ACTIVE');
      await new Promise((r) => setTimeout(r, 100));
    }
    log.info('kinesis-mock ready', { endpoint: this.kinesisEndpoint, stream: LOCAL_STREAM, shards: o.shards });

    // 2. The Teleopti-compatible RTA receiver, and the board that shows what it holds.
    this.receiver = await RtaReceiver.start({
      port: await portOrFree(o.rtaPort),
      authKey: LOCAL_AUTH_KEY,
      sourceIds: [LOCAL_SOURCE_ID],
    });
    this.onClose('rta receiver', () => this.receiver.stop());
    this.receiver.on('batch', () => this.board.update(this.receiver.currentStates(), Date.now()));

    // 3. The historical feed: s3rver → transfer → SFTP.
    this.sftpPassword = randomBytes(12).toString('base64url');
    this.sftp = await LocalSftpServer.start({
      root: join(o.stateDir, 'sftp'),
      username: SFTP_USER,
      password: this.sftpPassword,
    });
    this.onClose('sftp server', () => this.sftp.stop());
    const s3rver = await startS3rver({ directory: join(o.stateDir, 's3'), logFile: join(logs, 's3rver.log') });
    this.onClose('s3rver', () => s3rver.stop());
    await s3rver.createBucket(LOCAL_BUCKET);
    this.s3Endpoint = s3rver.endpoint;
    const s3 = s3rver.client;
    const transfer = new TransferRuntime(
      readTransferConfig({ ...this.transferEnv(), SFTP_ATTEMPTS: '3' }),
      // The queue, de-duplication table and secret are not used locally (no queue; credentials in the environment).
      { ...createAwsClients({}, { region: REGION, credentials: LOCAL_CREDENTIALS }), s3 },
      log.child({ component: 'transfer' }),
      new MetricsRegistry(),
    );
    // S3's event notification, as the deployed bucket sends it to the transfer's queue: here the simulated Firehose
    // reports each object it wrote, and the object is transferred in order.
    this.transferObject = (key) => {
      if (key.startsWith('quarantine/')) return;
      this.transferChain = this.transferChain.then(async () => {
        try {
          const outcome = await transfer.transferOne({ bucket: LOCAL_BUCKET, key });
          if (outcome.status === 'delivered') this.csvFiles++;
        } catch (e) {
          this.transferFailures++;
          log.warn('transfer failed', { key, error: errorMessage(e) });
        }
      });
    };
    this.onClose('transfers', () => this.transferChain);

    // 4. The simulated instance's Amazon Connect API (GetCurrentUserData & co.), fed by the events it publishes, so
    // the consumer's first post is Connect's snapshot and drift is reconciled, as against a real instance.
    this.connectApi = await FakeConnectApi.start({ instanceId: LOCAL_CONNECT_INSTANCE, observeAnyInstance: true });
    this.onClose('connect api', () => this.connectApi.stop());

    // The consumer: the real `connect-wfm consume` in direct mode, on the embedded file store.
    const healthPort = await freePort();
    this.consumerHealthUrl = `http://127.0.0.1:${healthPort}`;
    const consumer = await ServiceProcess.start({
      name: 'consumer',
      command: o.cliScript,
      args: ['consume'],
      env: {
        KINESIS_STREAM_NAME: LOCAL_STREAM,
        KINESIS_STREAM_ARN: '',
        AWS_REGION: REGION,
        AWS_ENDPOINT_URL_KINESIS: this.kinesisEndpoint,
        CONNECT_INSTANCE_ID: LOCAL_CONNECT_INSTANCE,
        CONNECT_INSTANCE_ARN: '',
        AWS_ENDPOINT_URL_CONNECT: this.connectApi.url,
        CONNECT_RECONCILE_INTERVAL_MS: '60000',
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: '',
        AWS_PROFILE: '',
        CHECKPOINT_TABLE: '',
        AGENT_STATE_TABLE: '',
        STATE_DIR: join(o.stateDir, 'consumer'),
        WFM_RTA_URL: this.receiver.url,
        WFM_AUTH_KEY: LOCAL_AUTH_KEY,
        WFM_SOURCE_ID: LOCAL_SOURCE_ID,
        RTA_STATE_MODE: 'contact',
        RTA_WINDOW_MS: String(o.windowMillis),
        KINESIS_POLL_INTERVAL_MS: '250',
        KINESIS_SHARD_SYNC_INTERVAL_MS: '5000',
        HEALTH_PORT: String(healthPort),
        METRICS_EMF: 'false',
        LOG_LEVEL: 'info',
        ...o.consumerSettings,
      },
      logFile: join(logs, 'consumer.log'),
      ready: httpReady(`${this.consumerHealthUrl}/healthz`),
      readyTimeoutMillis: 30000,
    });
    this.onClose('consumer', () => consumer.stop(20000));
    this.consumer = consumer;
    consumer.child.once('exit', (code, signal) => {
      if (!this.abort.signal.aborted)
        log.error('the consumer exited; states no longer reach the receiver', { code, signal, log: consumer.logFile });
    });
    this.lagTimer = setInterval(() => void this.pollLag(), 2000);

    // 5. The board.
    this.boardServer = await BoardServer.start({ port: await portOrFree(o.boardPort), data: () => this.boardData() });
    this.onClose('board', () => this.boardServer.stop());

    // 6. The simulated Amazon Connect instance, paced in real time × speed, one simulated day after another.
    const events = new KinesisEventSink(kinesis, LOCAL_STREAM);
    const ids = new SeededRandom(o.seed ^ 0x5f3759df);
    const ctrs = new S3CtrSink(
      s3,
      LOCAL_BUCKET,
      {
        prefix: 'ctr/',
        deliveryStreamName: 'connect-ctr',
        bufferMillis: o.ctrBufferMillis,
        bufferBytes: 5 * 1024 * 1024,
        // As the Terraform module configures the delivery stream (AppendDelimiterToRecord, newline).
        delimiter: '\n',
        newId: () => ids.uuid(),
      },
      (key) => {
        this.ctrObjects++;
        this.transferObject(key);
      },
    );
    writeFileSync(
      this.doctorEnvFile,
      Object.entries(this.doctorEnv())
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
      { mode: 0o600 },
    );
    this.simulation = this.simulate(events, ctrs).catch((e: unknown) => {
      if (!this.abort.signal.aborted) log.error('simulator stopped', { error: errorMessage(e) });
    });
  }

  /** `connect-wfm doctor` settings for this stack (`node --env-file=<this file> dist/cli/main.js doctor`). */
  get doctorEnvFile(): string {
    return join(this.options.stateDir, 'doctor.env');
  }

  doctorEnv(): Record<string, string> {
    return {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      KINESIS_STREAM_NAME: LOCAL_STREAM,
      AWS_ENDPOINT_URL_KINESIS: this.kinesisEndpoint,
      CONNECT_INSTANCE_ID: LOCAL_CONNECT_INSTANCE,
      AWS_ENDPOINT_URL_CONNECT: this.connectApi.url,
      STATE_DIR: join(this.options.stateDir, 'consumer'),
      WFM_RTA_URL: this.receiver.url,
      WFM_AUTH_KEY: LOCAL_AUTH_KEY,
      WFM_SOURCE_ID: LOCAL_SOURCE_ID,
      ...this.transferEnv(),
    };
  }

  /** The transfer function's settings against this stack's SFTP server and S3. */
  private transferEnv(): Record<string, string> {
    return {
      SFTP_HOST: '127.0.0.1',
      SFTP_PORT: String(this.sftp.port),
      SFTP_USERNAME: SFTP_USER,
      SFTP_PASSWORD: this.sftpPassword,
      SFTP_HOST_KEY_SHA256: this.sftp.hostKeyFingerprint,
      SFTP_REMOTE_DIR: SFTP_REMOTE_DIR,
      AWS_ENDPOINT_URL_S3: this.s3Endpoint,
    };
  }

  private async simulate(events: KinesisEventSink, ctrs: S3CtrSink): Promise<void> {
    const o = this.options;
    let start = Date.now();
    for (let day = 0; !this.abort.signal.aborted; day++) {
      const simulation = simulate({
        agents: o.agents,
        durationMillis: o.durationMillis,
        startMillis: start,
        seed: o.seed + day,
        contactsPerAgentHour: o.contactsPerAgentHour,
        region: REGION,
      });
      await runSimulation({
        outputs: simulation.outputs,
        startMillis: start,
        speed: o.speed,
        events,
        ctrs,
        signal: this.abort.signal,
        onOutput: (out) => {
          this.simulatedNow = out.timeMillis;
          if (out.kind === 'agent-event') {
            this.connectApi.observe(out.event);
            this.eventsSent++;
            this.eventTimes.push(Date.now());
          }
        },
      });
      start += o.durationMillis;
    }
  }

  private async pollLag(): Promise<void> {
    try {
      const text = await (
        await fetch(`${this.consumerHealthUrl}/metrics`, { signal: AbortSignal.timeout(1000) })
      ).text();
      const values = [...text.matchAll(/^connect_wfm_millis_behind_latest(?:\{[^}]*\})? ([0-9.e+-]+)$/gm)].map((m) =>
        Number(m[1]),
      );
      this.lagMillis = values.length > 0 ? Math.max(...values) : null;
    } catch {
      this.lagMillis = null;
    }
  }

  private async boardData(): Promise<BoardData> {
    const s = this.status();
    const files = (await this.sftp.files(SFTP_REMOTE_DIR)).filter((f) => !f.path.endsWith('.part')).slice(0, 15);
    return {
      agents: this.board.list(),
      files,
      status: {
        'simulated time': s.simulatedTime,
        'events/s': s.eventsPerSecond.toFixed(1),
        agents: `${s.loggedIn} logged in / ${s.agents}`,
        posts: s.posts,
        lag: s.lagMillis === null ? '-' : `${s.lagMillis} ms`,
        'CSV files': s.csvFiles,
        consumer: s.consumerRunning ? 'running' : 'STOPPED (see logs/consumer.log)',
      },
      generatedAt: Date.now(),
    };
  }
}

/** One status line: what a person watching `npm start` wants to see move. */
export function formatStatus(s: StackStatus): string {
  return [
    `sim ${s.simulatedTime}`,
    `${s.eventsPerSecond.toFixed(1)} events/s`,
    `agents ${s.loggedIn}/${s.agents}`,
    `posts ${s.posts} (${s.statesPosted} states)`,
    `lag ${s.lagMillis === null ? '-' : `${s.lagMillis} ms`}`,
    `CSV files ${s.csvFiles}${s.transferFailures ? ` (${s.transferFailures} failed)` : ''}`,
    ...(s.consumerRunning ? [] : ['CONSUMER STOPPED (see logs/consumer.log)']),
  ].join(' | ');
}
