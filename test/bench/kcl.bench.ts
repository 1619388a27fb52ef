/**
 * bench:kcl — KCL mode as it runs in production: `connect-wfm kcl-daemon` (the real KCL 3 MultiLangDaemon and its
 * `kcl-processor` children) on kinesis-mock and DynamoDB Local, posting to a Teleopti-contract receiver:
 *   1. put → post latency (p50, p99) at RTA_WINDOW_MS 1000 and 5000, one worker holding 4 leases;
 *   2. RSS of the JVM with those 4 leases and of one child;
 *   3. catch-up: events queued on a 1-shard stream before the worker starts, read until WFM holds every agent's
 *      newest state (events/s from the worker's first lease), next to the parse floor measured in this run.
 *
 *   npm run bench:kcl      (KCL_BENCH_EVENTS=… KCL_BENCH_SECONDS=… to resize)
 * Targets (issue 11): p99 ≤ window + 2 s; JVM ≤ 400 MB RSS with 4 leases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { RtaReceiver } from '../../local/rtaReceiver/RtaReceiver';
import { type DynamoDbLocal, type KinesisMock, startDynamoDbLocal, startKinesisMock } from '../../local/emulators';
import { userCode } from '../helpers/agentEvents';
import { createStream, sleep, waitFor } from '../integration/consumer/directConsumerSupport';
import {
  AUTH_KEY,
  createKclTables,
  finalStatuses,
  KclWorker,
  putStatuses,
  requireKclJars,
  scanLeases,
} from '../integration/kcl/kclFleet';
import { parseFloor } from './parseFloor';

const CATCHUP_EVENTS = Number(process.env.KCL_BENCH_EVENTS ?? 20_000);
const LATENCY_SECONDS = Number(process.env.KCL_BENCH_SECONDS ?? 30);
const LATENCY_AGENTS = 200;
const CLI = require.resolve('../../cli/main.js');

const out = (line: string) => process.stdout.write(line + '\n');
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

let run = 0;
async function startWorker(
  k: KinesisMock,
  d: DynamoDbLocal,
  receiver: RtaReceiver,
  shards: number,
  extra: Record<string, string>,
  beforeStart?: (stream: string) => Promise<void>,
) {
  const stream = `bench-${++run}`;
  const application = `bench-rta-${run}`;
  await createStream(k.client, stream, shards);
  await createKclTables(d.client, application);
  await beforeStart?.(stream);
  const env = { kinesisEndpoint: k.endpoint, dynamoDbEndpoint: d.endpoint, stream, application, receiver };
  const started = Date.now();
  const worker = KclWorker.start(CLI, env, `bench-${run}`, { LOG_LEVEL: 'warn', ...extra });
  await waitFor(
    `the worker to hold ${shards} leases`,
    async () =>
      (await scanLeases(d.client, application)).filter((l) => l.leaseOwner === worker.workerId).length === shards,
    120000,
    () => worker.tail(),
  );
  return { stream, application, worker, leasesAfterMillis: Date.now() - started };
}

/** The pids of `pattern` processes whose parent chain leads to `root`. */
function descendants(root: number, pattern: RegExp): number[] {
  const parents = new Map<number, number>();
  const cmdlines = new Map<number, string>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmdlines.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'latin1').replace(/\0/g, ' '));
    } catch {
      /* gone */
    }
  }
  const isBelow = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  return [...cmdlines].filter(([pid, cmd]) => pattern.test(cmd) && isBelow(pid)).map(([pid]) => pid);
}

async function latency(k: KinesisMock, d: DynamoDbLocal, windowMillis: number): Promise<void> {
  const receiver = await RtaReceiver.start({ authKey: AUTH_KEY });
  const { stream, worker } = await startWorker(k, d, receiver, 4, { RTA_WINDOW_MS: String(windowMillis) });
  try {
    // Warm-up: every shard's child initialized and delivering (a worker's start is not what this measures)
    const warmUp = Array.from({ length: LATENCY_AGENTS }, (_, i) => ({ agent: 100 + i, status: 'warm-up' }));
    await putStatuses(k.client, stream, warmUp);
    await waitFor(
      'the warm-up states to arrive',
      () => warmUp.every((e) => receiver.currentStates().get(userCode(e.agent)) === 'warm-up'),
      180000,
      () => worker.tail(),
    );
    // One status per agent every few seconds, spread over the run: what a contact centre's stream looks like
    const putAt = new Map<string, number>();
    const deadline = Date.now() + LATENCY_SECONDS * 1000;
    for (let round = 0; Date.now() < deadline; round++) {
      const events = Array.from({ length: LATENCY_AGENTS / 10 }, (_, i) => ({
        agent: 100 + ((round * (LATENCY_AGENTS / 10) + i) % LATENCY_AGENTS),
        status: `lat-${round}-${i}`,
      }));
      const sent = Date.now();
      await putStatuses(k.client, stream, events);
      for (const e of events) putAt.set(`${userCode(e.agent)}|${e.status}`, sent);
      await sleep(250);
    }
    await sleep(windowMillis + 3000);
    const latencies: number[] = [];
    for (const batch of receiver.batches)
      for (const s of batch.states) {
        const sent = putAt.get(`${s.UserCode}|${s.StateCode}`);
        if (sent !== undefined) latencies.push(batch.receivedAt - sent);
      }
    latencies.sort((a, b) => a - b);
    const p99 = pct(latencies, 99);
    out(
      `latency RTA_WINDOW_MS=${windowMillis}: p50 ${pct(latencies, 50)} ms, p99 ${p99} ms over ${latencies.length} delivered states` +
        ` (target p99 ≤ ${windowMillis + 2000} ms: ${p99 <= windowMillis + 2000 ? 'met' : 'NOT met'})`,
    );
    const [jvm] = descendants(worker.child.pid!, /MultiLangDaemon/);
    const children = descendants(worker.child.pid!, /kcl-processor/);
    if (jvm !== undefined && windowMillis === 1000) {
      const jvmRss = rssMb(jvm);
      out(
        `RSS with 4 leases: JVM ${jvmRss.toFixed(0)} MB (target ≤ 400: ${jvmRss <= 400 ? 'met' : 'NOT met'}); ` +
          `children ${children.map((pid) => rssMb(pid).toFixed(0)).join(', ')} MB; kcl-daemon (node) ${rssMb(worker.child.pid!).toFixed(0)} MB`,
      );
    }
  } finally {
    await worker.stop(60000).catch(() => worker.cleanup());
    await receiver.stop();
  }
}

async function catchUp(k: KinesisMock, d: DynamoDbLocal): Promise<void> {
  const receiver = await RtaReceiver.start({ authKey: AUTH_KEY });
  const agents = 2000;
  const events = Array.from({ length: CATCHUP_EVENTS }, (_, i) => ({
    agent: 10_000 + (i % agents),
    status: `c-${Math.floor(i / agents)}`,
  }));
  let putSeconds = 0;
  const queue = async (stream: string) => {
    const started = Date.now();
    await putStatuses(k.client, stream, events);
    putSeconds = (Date.now() - started) / 1000;
  };
  const { worker, leasesAfterMillis } = await startWorker(k, d, receiver, 1, { RTA_WINDOW_MS: '1000' }, queue);
  const leased = Date.now();
  try {
    const expected = finalStatuses(events.map((e) => ({ ...e, shardId: '', sequenceNumber: '' })));
    await waitFor(
      'WFM to hold every agent’s newest state',
      () => [...expected].every(([user, status]) => receiver.currentStates().get(user) === status),
      600000,
      () => worker.tail(),
    );
    const seconds = (Date.now() - leased) / 1000;
    const rate = CATCHUP_EVENTS / seconds;
    const floor = parseFloor();
    out(
      `catch-up: ${CATCHUP_EVENTS} queued events on one shard (queued in ${putSeconds.toFixed(0)} s) read and delivered in ` +
        `${seconds.toFixed(1)} s after the first lease (${(leasesAfterMillis / 1000).toFixed(1)} s from start): ` +
        `${Math.round(rate)} events/s; parse floor in this run ${Math.round(floor)} events/s; ratio ${(rate / floor).toFixed(3)}`,
    );
  } finally {
    await worker.stop(60000).catch(() => worker.cleanup());
    await receiver.stop();
  }
}

async function main(): Promise<void> {
  requireKclJars();
  const [k, d] = await Promise.all([
    startKinesisMock({ nodeArgs: ['--max-old-space-size=4096'] }),
    startDynamoDbLocal(),
  ]);
  try {
    await latency(k, d, 1000);
    await latency(k, d, 5000);
    await catchUp(k, d);
  } finally {
    await Promise.all([k.stop(), d.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:kcl failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
