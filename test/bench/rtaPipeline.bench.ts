/**
 * bench:rta — 1,000,000 generated agent events over 20,000 agents through decode → reduce → window → diff, with
 * delivery replaced by a counter; and, in the same run, the floor: base64-decode + JSON.parse + Map.set per record.
 * Each phase runs in its own child process so that peak RSS belongs to that phase alone. Input records are
 * generated in chunks of one KCL batch (10,000 records) and generation time is excluded from both phases.
 * The pipeline runs under the consumer's production heap cap (CONSUMER_NODE_OPTIONS); the floor runs without it
 * (its map holds 20,000 whole parsed events, which under the cap would spend its time collecting garbage and flatter
 * the ratio). The phases alternate for ROUNDS rounds; the best round of each is compared, which keeps a busy
 * machine's noise out of the ratio.
 *
 * Then what users run: `connect-wfm replay --input FILE` as a process (spawn to exit, start-up included) on a JSON-lines
 * file of REPLAY_EVENTS (300,000) such events, posting to a Teleopti-contract receiver in this process, next to the
 * floor as a process on the same file: read lines, JSON.parse, keep the latest event per agent. Target: ≥ 0.6.
 *
 *   npm run bench:rta            (EVENTS=… AGENTS=… REPLAY_EVENTS=… to change the sizes)
 */
import { execFile, execFileSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../../common/logging/logger';
import { MetricsRegistry } from '../../common/observability/metrics';
import { CONSUMER_NODE_OPTIONS } from '../../consumer/src/runtime/nodeOptions';
import { AgentStatePipeline } from '../../consumer/src/pipeline/AgentStatePipeline';
import type { StateBatch } from '../../consumer/src/delivery/types';
import { SeededRandom } from '../../simulator/src/SeededRandom';
import { RtaReceiver } from '../../local/rtaReceiver/RtaReceiver';

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const AGENTS = Number(process.env.AGENTS ?? 20_000);
const CHUNK = 10_000;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const REPLAY_EVENTS = Number(process.env.REPLAY_EVENTS ?? 300_000);
const CLI = join(__dirname, '..', '..', 'cli', 'main.js');
const REPLAY_KEY = 'bench-replay-key';
const STATUSES = ['Available', 'Break', 'Lunch', 'Training', 'Meeting', 'Offline'];
const INSTANCE = 'arn:aws:connect:eu-west-1:123456789012:instance/6e3230e5-2dd2-4464-ade8-b032cdd0abef';

interface PhaseResult {
  phase: string;
  seconds: number;
  eventsPerSecond: number;
  peakRssMb: number;
  statesPosted?: number;
  posts?: number;
}

/** A realistic ~2.3 KB event (two snapshots, one inbound queue), as in the 2018 samples. */
function makeGenerator() {
  const prng = new SeededRandom(1);
  const random = () => prng.next();
  const lastStatus: string[] = new Array(AGENTS).fill('Available');
  const snapshot = (agent: number, status: string, at: string) => ({
    AgentStatus: {
      ARN: `${INSTANCE}/agent-state/${status.toLowerCase()}-0000-0000-0000`,
      Name: status,
      StartTimestamp: at,
    },
    Configuration: {
      AgentHierarchyGroups: null,
      FirstName: 'Agent',
      LastName: `Number ${agent}`,
      RoutingProfile: {
        ARN: `${INSTANCE}/routing-profile/aa7ebbc9-e1f3-4b9c-b4bd-6a3f0e4b1c31`,
        DefaultOutboundQueue: { ARN: `${INSTANCE}/queue/0b8a1e2c-7f6d-4a3b-9c8e-1d2f3a4b5c6d`, Name: 'BasicQueue' },
        InboundQueues: [{ ARN: `${INSTANCE}/queue/0b8a1e2c-7f6d-4a3b-9c8e-1d2f3a4b5c6d`, Name: 'BasicQueue' }],
        Name: 'Basic Routing Profile',
      },
      Username: `agent.${agent}`,
    },
    Contacts: [],
  });
  let n = 0;
  const t0 = Date.parse('2026-11-24T08:00:00.000Z');
  return (): string => {
    n++;
    const agent = Math.floor(random() * AGENTS);
    const heartbeat = random() < 0.3;
    const previous = lastStatus[agent]!;
    const status = heartbeat ? previous : STATUSES[Math.floor(random() * STATUSES.length)]!;
    lastStatus[agent] = status;
    const at = new Date(t0 + n * 10).toISOString();
    const event = {
      AWSAccountId: '123456789012',
      AgentARN: `${INSTANCE}/agent/00000000-0000-4000-8000-${String(agent).padStart(12, '0')}`,
      CurrentAgentSnapshot: snapshot(agent, status, at),
      EventId: `0a1b2c3d-0000-4000-8000-${String(n).padStart(12, '0')}`,
      EventTimestamp: at,
      EventType: heartbeat ? 'HEART_BEAT' : 'STATE_CHANGE',
      InstanceARN: INSTANCE,
      PreviousAgentSnapshot: snapshot(agent, previous, at),
      Version: '2019-05-25',
    };
    return JSON.stringify(event);
  };
}

const sequenceNumber = (n: number) => `49590338271490256608559692538361571095921575989136${String(n).padStart(8, '0')}`;
const yieldToTimers = () => new Promise<void>((r) => setImmediate(r));

async function runPhase(phase: 'pipeline' | 'floor'): Promise<PhaseResult> {
  const next = makeGenerator();
  let generationMillis = 0;
  let posts = 0;
  let statesPosted = 0;
  const floorMap = new Map<string, unknown>();
  const pipeline =
    phase === 'pipeline'
      ? new AgentStatePipeline({
          rta: {
            url: 'http://127.0.0.1:1',
            authKey: 'bench',
            sourceId: 'bench',
            stateMode: 'status',
            loggedOutStateCode: 'LOGGED_OUT',
            maxBatchStates: 1000,
            snapshotIntervalMillis: 0,
            requestTimeoutMillis: 1000,
            retryBaseMillis: 1,
            retryMaxMillis: 1,
            unknownUserRetryMillis: 900000,
          },
          pipeline: { windowMillis: Number(process.env.RTA_WINDOW_MS ?? 5000), catchUpThresholdMillis: 60_000 },
          delivery: {
            post: (batch: StateBatch) => {
              posts++;
              statesPosted += batch.states.length;
              return Promise.resolve();
            },
          },
          logger: silentLogger,
          metrics: new MetricsRegistry(),
        })
      : undefined;
  const started = performance.now();
  for (let done = 0; done < EVENTS; done += CHUNK) {
    const g0 = performance.now();
    const chunk: string[] = [];
    for (let i = 0; i < CHUNK && done + i < EVENTS; i++) chunk.push(Buffer.from(next(), 'utf8').toString('base64'));
    generationMillis += performance.now() - g0;
    if (pipeline) {
      for (let i = 0; i < chunk.length; i++)
        pipeline.push({
          sourceId: 'shardId-000000000000',
          sequenceNumber: sequenceNumber(done + i + 1),
          data: chunk[i]!,
        });
    } else {
      for (let i = 0; i < chunk.length; i++) {
        const event = JSON.parse(Buffer.from(chunk[i]!, 'base64').toString('utf8')) as { AgentARN: string };
        floorMap.set(event.AgentARN, event);
      }
    }
    await yieldToTimers(); // lets window timers fire between KCL-sized batches, as in production
  }
  if (pipeline) await pipeline.shutdown();
  const seconds = (performance.now() - started - generationMillis) / 1000;
  if (!pipeline && floorMap.size === 0) throw new Error('floor did nothing');
  return {
    phase,
    seconds,
    eventsPerSecond: EVENTS / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(pipeline ? { statesPosted, posts } : {}),
  };
}

function runChild(phase: 'pipeline' | 'floor'): PhaseResult {
  const flags = phase === 'pipeline' ? CONSUMER_NODE_OPTIONS : [];
  const out = execFileSync(process.execPath, [...flags, __filename, phase], {
    env: process.env,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as PhaseResult;
}

/** The floor as a process: the least any replay must do with the file. */
async function fileFloor(file: string): Promise<void> {
  const latest = new Map<string, unknown>();
  const input = createReadStream(file, { highWaterMark: 1 << 20 }); // the same reads as replay
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line === '') continue;
    const event = JSON.parse(line) as { AgentARN: string };
    latest.set(event.AgentARN, event);
  }
  if (latest.size === 0) throw new Error('file floor read nothing');
}

/** Spawn to exit, asynchronously: the receiver in this process must keep answering while the child runs. */
function timedProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { env, maxBuffer: 16 << 20 }, (error) =>
      error ? reject(error) : resolve((performance.now() - t0) / 1000),
    ),
  );
}

async function replayAsProcesses(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cwfm-bench-rta-'));
  const file = join(dir, 'events.jsonl');
  const receiver = await RtaReceiver.start({ authKey: REPLAY_KEY, keepBatches: 10 });
  try {
    const next = makeGenerator();
    const fd = openSync(file, 'w');
    for (let done = 0; done < REPLAY_EVENTS; done += CHUNK) {
      const lines: string[] = [];
      for (let i = 0; i < CHUNK && done + i < REPLAY_EVENTS; i++) lines.push(next());
      writeSync(fd, lines.join('\n') + '\n'); // in chunks: the whole file is past V8's string limit
    }
    closeSync(fd);
    process.stdout.write(`replay as a process: ${REPLAY_EVENTS.toLocaleString('en')} events in a JSON-lines file\n`);
    const env = { ...process.env, WFM_RTA_URL: receiver.url, WFM_AUTH_KEY: REPLAY_KEY, LOG_LEVEL: 'warn' };
    const floors: number[] = [];
    const replays: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      floors.push(await timedProcess([__filename, 'file-floor', file], env));
      replays.push(await timedProcess([CLI, 'replay', '--input', file], env));
      process.stdout.write(
        `  round ${r + 1}: floor ${Math.round(REPLAY_EVENTS / floors[r]!)} events/s, ` +
          `connect-wfm replay ${Math.round(REPLAY_EVENTS / replays[r]!)} events/s\n`,
      );
    }
    const floor = REPLAY_EVENTS / Math.min(...floors);
    const replay = REPLAY_EVENTS / Math.min(...replays);
    if (receiver.totalStates === 0) throw new Error('replay delivered nothing');
    process.stdout.write(
      `ratio replay/floor (processes, best of ${ROUNDS}): ${(replay / floor).toFixed(2)} (target ≥ 0.60)   ` +
        `floor ${Math.round(floor)} events/s, replay ${Math.round(replay)} events/s\n`,
    );
  } finally {
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const phase = process.argv[2];
  if (phase === 'pipeline' || phase === 'floor') {
    process.stdout.write(JSON.stringify(await runPhase(phase)) + '\n');
    return;
  }
  if (phase === 'file-floor') return fileFloor(process.argv[3]!);
  process.stdout.write(
    `bench:rta — ${EVENTS.toLocaleString('en')} events over ${AGENTS.toLocaleString('en')} agents, Node ${process.version}\n`,
  );
  process.stdout.write(
    `pipeline node options: ${CONSUMER_NODE_OPTIONS.join(' ')} (floor: none); best of ${ROUNDS} alternating rounds\n`,
  );
  const rounds: PhaseResult[][] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push([runChild('floor'), runChild('pipeline')]);
  const best = (i: number) =>
    rounds.map((r) => r[i]!).reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
  const maxRss = (i: number) => Math.max(...rounds.map((r) => r[i]!.peakRssMb));
  const floor = { ...best(0), peakRssMb: maxRss(0) };
  const pipeline = { ...best(1), peakRssMb: maxRss(1) };
  for (const [i, [f, p]] of rounds.entries())
    process.stdout.write(
      `  round ${i + 1}: floor ${Math.round(f!.eventsPerSecond)} events/s, pipeline ${Math.round(p!.eventsPerSecond)} events/s\n`,
    );
  const ratio = pipeline.eventsPerSecond / floor.eventsPerSecond;
  const row = (r: PhaseResult) =>
    `${r.phase.padEnd(9)} ${Math.round(r.eventsPerSecond).toLocaleString('en').padStart(10)} events/s  ${r.seconds.toFixed(2).padStart(6)} s  peak RSS ${r.peakRssMb.toFixed(0).padStart(4)} MB`;
  process.stdout.write(`${row(floor)}   (base64 + JSON.parse + Map.set)\n`);
  process.stdout.write(
    `${row(pipeline)}   (${pipeline.posts} posts, ${pipeline.statesPosted} states delivered to the counter)\n`,
  );
  process.stdout.write(
    `ratio pipeline/floor: ${ratio.toFixed(2)} (target ≥ 0.70)   pipeline peak RSS: ${pipeline.peakRssMb.toFixed(0)} MB (target ≤ 200)\n`,
  );
  await replayAsProcesses();
}

void main();
