import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { agentEvent, sequenceNumber, userCode } from '../../helpers/agentEvents';
import { buildCli } from '../../helpers/buildCli';
import { FakeDaemon, type KclRecordMessage, SHARD_END } from '../../helpers/fakeDaemon';

/**
 * Issue 12, KCL mode: a shard's lease moving to another worker and a shard ending must never leave WFM with an
 * older state than Connect's. The real `kcl-processor` child under the fake MultiLangDaemon, file store.
 */
const AUTH_KEY = 'lease-key';
const PARENT = 'shardId-000000000000';
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
let receiver: RtaReceiver;
let cli: string;
const daemons: FakeDaemon[] = [];

beforeAll(async () => {
  cli = buildCli();
  receiver = await RtaReceiver.start({ authKey: AUTH_KEY });
});

afterAll(async () => {
  for (const d of daemons) d.kill();
  await receiver.stop();
});

function startChild(stateDir: string, windowMillis: number, shardId = PARENT): FakeDaemon {
  const daemon = new FakeDaemon({
    executableName: `${process.execPath} ${cli} kcl-processor`,
    env: {
      WFM_RTA_URL: receiver.url,
      WFM_AUTH_KEY: AUTH_KEY,
      RTA_WINDOW_MS: String(windowMillis),
      STATE_DIR: stateDir,
      METRICS_EMF: 'false',
      LOG_LEVEL: 'info',
    },
    shardId,
    messageTimeoutMillis: 20000,
  });
  daemons.push(daemon);
  return daemon;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const record = (n: number, agent: number, status: string, type?: 'HEART_BEAT'): KclRecordMessage =>
  FakeDaemon.record(sequenceNumber(n), agentEvent({ agent, status, type, at: T0 + n * 1000 }), `pk-${agent}`);
const statesFor = (agent: number): string[] =>
  receiver.batches.flatMap((b) => b.states.filter((s) => s.UserCode === userCode(agent)).map((s) => s.StateCode));

async function tickUntilCheckpointed(daemon: FakeDaemon, seq: string, pause = 50, maxTicks = 200): Promise<void> {
  for (let i = 0; i < maxTicks && daemon.lease.checkpoint !== seq; i++) {
    await sleep(pause);
    expect(await daemon.processRecords([], 0)).toEqual({ kind: 'ok' });
  }
  expect(daemon.lease.checkpoint).toBe(seq);
}

describe('kcl-processor: lease moves and shard ends converge WFM to the newest state', () => {
  test('leaseLost with an open window posts nothing: the new owner’s newer state stays in WFM', async () => {
    // Prepare: the old owner delivered Available and holds Break in a long open window
    const dir = mkdtempSync(join(tmpdir(), 'cwfm-lease-'));
    const old = startChild(dir, 3000);
    await old.initialize('TRIM_HORIZON');
    await old.processRecords([record(1, 401, 'Available')], 0);
    await tickUntilCheckpointed(old, sequenceNumber(1), 100);
    await old.processRecords([record(2, 401, 'Break')], 0);
    // Act: the lease was stolen; the new owner reads on from the checkpoint and delivers Lunch
    const next = startChild(dir, 100);
    await next.initialize(sequenceNumber(1));
    await next.processRecords([record(2, 401, 'Break'), record(3, 401, 'Lunch')], 0);
    await tickUntilCheckpointed(next, sequenceNumber(3));
    expect(receiver.currentStates().get(userCode(401))).toBe('Lunch');
    // …and only now does the old owner learn that its lease is gone
    expect(await old.leaseLost()).toEqual({ kind: 'ok' });
    expect(await old.close()).toBe(0);
    await sleep(300);
    // Assess
    expect(receiver.currentStates().get(userCode(401))).toBe('Lunch');
    expect(statesFor(401)).toEqual(['Available', 'Lunch']);
    expect(old.checkpoints.map((c) => c.sequenceNumber)).toEqual([sequenceNumber(1)]);
    expect(await next.leaseLost()).toEqual({ kind: 'ok' });
    expect(await next.close()).toBe(0);
  });

  test('a checkpoint refused with ShutdownException drops the open window and everything after it', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cwfm-lease-'));
    const old = startChild(dir, 3000);
    await old.initialize('TRIM_HORIZON');
    await old.processRecords([record(1, 402, 'Available')], 0);
    await tickUntilCheckpointed(old, sequenceNumber(1), 100);
    await old.processRecords([record(2, 402, 'Break')], 0);
    for (let i = 0; i < 100 && receiver.currentStates().get(userCode(402)) !== 'Break'; i++) await sleep(50);
    // Act: the next checkpoint (seq 2) is refused because another worker took the lease; the same batch opened a
    // window with Meeting, and a later batch still arrives before leaseLost
    old.checkpointFaults.push('ShutdownException');
    expect(await old.processRecords([record(3, 402, 'Meeting')], 0)).toEqual({ kind: 'ok' });
    expect(old.checkpoints.at(-1)).toMatchObject({ sequenceNumber: sequenceNumber(2), error: 'ShutdownException' });
    expect(await old.processRecords([record(4, 402, 'Training')], 0)).toEqual({ kind: 'ok' });
    const next = startChild(dir, 100);
    await next.initialize(sequenceNumber(1));
    await next.processRecords([record(2, 402, 'Break'), record(3, 402, 'Meeting'), record(4, 402, 'Lunch')], 0);
    await tickUntilCheckpointed(next, sequenceNumber(4));
    await sleep(3500); // longer than the old owner's window
    // Assess
    expect(receiver.currentStates().get(userCode(402))).toBe('Lunch');
    expect(statesFor(402)).toEqual(['Available', 'Break', 'Lunch']);
    expect(await old.leaseLost()).toEqual({ kind: 'ok' });
    expect(await old.close()).toBe(0);
    expect(await next.leaseLost()).toEqual({ kind: 'ok' });
    expect(await next.close()).toBe(0);
  });

  test('shardEnded never checkpoints SHARD_END while the agent states fail to save; after a restart it does', async () => {
    // Prepare: two agents delivered and checkpointed, one more state delivered in the last batch
    const dir = mkdtempSync(join(tmpdir(), 'cwfm-end-'));
    const file = join(dir, `kcl-${PARENT}.progress.json`);
    const first = startChild(dir, 100);
    await first.initialize('TRIM_HORIZON');
    await first.processRecords([record(1, 403, 'Available'), record(2, 404, 'Break')], 0);
    await tickUntilCheckpointed(first, sequenceNumber(2));
    await first.processRecords([record(3, 403, 'Lunch')], 0);
    // Act 1: the store fails (the progress file's place is taken by a non-empty directory: rename fails)
    const saved = readFileSync(file, 'utf8');
    rmSync(file);
    mkdirSync(join(file, 'blocker'), { recursive: true });
    const ended = await first.shardEnded();
    // Assess 1: the child failed instead of checkpointing SHARD_END; WFM has the state, the lease does not move on
    expect(ended.kind).toBe('fatal');
    expect(first.lease.checkpoint).toBe(sequenceNumber(2));
    expect(first.checkpoints.some((c) => c.during === 'shardEnded')).toBe(false);
    expect(receiver.currentStates().get(userCode(403))).toBe('Lunch');
    await first.close();

    // Act 2: the store is back; the daemon restarts the shard from its checkpoint
    rmSync(file, { recursive: true });
    writeFileSync(file, saved);
    const again = startChild(dir, 100);
    again.lease = { checkpoint: sequenceNumber(2), subSequenceNumber: 0 };
    await again.initialize(sequenceNumber(2));
    await again.processRecords([record(3, 403, 'Lunch')], 0);
    expect(await again.shardEnded()).toEqual({ kind: 'ok' });
    expect(again.lease.checkpoint).toBe(SHARD_END);
    await again.close();
    // Assess 2: the child shard's owner starts from the saved states and posts nothing WFM already has
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { agentStates: { userCode: string; stateCode: string }[] };
    expect(stored.agentStates.find((s) => s.userCode === userCode(403))?.stateCode).toBe('Lunch');
    const posted = receiver.totalStates;
    const child = startChild(dir, 100, 'shardId-000000000001');
    await child.initialize('TRIM_HORIZON');
    await child.processRecords([record(4, 403, 'Lunch', 'HEART_BEAT'), record(5, 404, 'Break', 'HEART_BEAT')], 0);
    await tickUntilCheckpointed(child, sequenceNumber(5));
    expect(receiver.totalStates).toBe(posted);
    expect(receiver.currentStates().get(userCode(403))).toBe('Lunch');
    expect(receiver.currentStates().get(userCode(404))).toBe('Break');
    await child.leaseLost();
    await child.close();
    expect(existsSync(file)).toBe(true);
  });
});
