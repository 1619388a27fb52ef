import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { agentEvent, sequenceNumber, userCode } from '../../helpers/agentEvents';
import { buildCli } from '../../helpers/buildCli';
import { FakeDaemon, type KclRecordMessage, SHARD_END, parseChildLine } from '../../helpers/fakeDaemon';

/**
 * The real `kcl-processor` child driven by a fake MultiLangDaemon (docs/reference/multilang-protocol.md#fake-daemon),
 * posting to a Teleopti-contract receiver. Small windows keep it quick: acknowledgements arrive within ~RTA_WINDOW_MS.
 */
const WINDOW_MS = 150;
const AUTH_KEY = 'fake-daemon-key';
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

function startChild(stateDir: string, extraEnv: Record<string, string> = {}, shardId?: string): FakeDaemon {
  const daemon = new FakeDaemon({
    executableName: `${process.execPath} ${cli} kcl-processor`,
    env: {
      WFM_RTA_URL: receiver.url,
      WFM_AUTH_KEY: AUTH_KEY,
      RTA_WINDOW_MS: String(WINDOW_MS),
      RTA_CATCH_UP_THRESHOLD_MS: '60000',
      STATE_DIR: stateDir,
      METRICS_EMF: 'false',
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    shardId,
    messageTimeoutMillis: 20000,
  });
  daemons.push(daemon);
  return daemon;
}

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'cwfm-kcl-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One record per agent event; sequence numbers from `first`. */
function records(first: number, specs: { agent: number; status: string }[], at = Date.now()): KclRecordMessage[] {
  return specs.map((s, i) =>
    FakeDaemon.record(sequenceNumber(first + i), agentEvent({ ...s, at: at + i }), `pk-${s.agent}`),
  );
}

/** Empty batches (callProcessRecordsEvenForEmptyRecordList=true ticks) until the child checkpoints `seq`. */
async function tickUntilCheckpointed(daemon: FakeDaemon, seq: string, maxTicks = 40): Promise<void> {
  for (let i = 0; i < maxTicks && daemon.lease.checkpoint !== seq; i++) {
    await sleep(WINDOW_MS);
    expect(await daemon.processRecords([], 0)).toEqual({ kind: 'ok' });
  }
  expect(daemon.lease.checkpoint).toBe(seq);
}

/** The state the child's store (STATE_DIR/*.json) records as delivered for an agent. */
function storedState(stateDir: string, agent: number): string | undefined {
  for (const name of readdirSync(stateDir).filter((n) => n.endsWith('.json'))) {
    try {
      const file = JSON.parse(readFileSync(join(stateDir, name), 'utf8')) as {
        agentStates?: { userCode: string; stateCode: string }[];
      };
      const found = file.agentStates?.find((s) => s.userCode === userCode(agent));
      if (found) return found.stateCode;
    } catch {
      // a status file or one being replaced: not the store
    }
  }
  return undefined;
}

const statesFor = (agent: number): string[] =>
  receiver.batches.flatMap((b) => b.states.filter((s) => s.UserCode === userCode(agent)).map((s) => s.StateCode));

describe('kcl-processor under a fake MultiLangDaemon', () => {
  test('happy path: posts states, checkpoints only acknowledged records, exits on stdin EOF', async () => {
    // Prepare
    const daemon = startChild(freshDir());
    // Act
    expect(await daemon.initialize('TRIM_HORIZON')).toEqual({ kind: 'ok' });
    expect(
      await daemon.processRecords(
        records(1, [
          { agent: 101, status: 'Available' },
          { agent: 102, status: 'Break' },
        ]),
        0,
      ),
    ).toEqual({ kind: 'ok' });
    await tickUntilCheckpointed(daemon, sequenceNumber(2));
    expect(await daemon.processRecords(records(3, [{ agent: 101, status: 'Lunch' }]), 0)).toEqual({ kind: 'ok' });
    await tickUntilCheckpointed(daemon, sequenceNumber(3));
    expect(await daemon.leaseLost()).toEqual({ kind: 'ok' });
    const code = await daemon.close();
    // Assess
    expect(code).toBe(0);
    expect(receiver.currentStates().get(userCode(101))).toBe('Lunch');
    expect(receiver.currentStates().get(userCode(102))).toBe('Break');
    expect(daemon.checkpoints.every((c) => c.error === null && c.during === 'processRecords')).toBe(true);
    expect(daemon.skippedLines).toEqual([]);
  });

  test('checkpoint errors: Throttling and Dependency are retried, IllegalArgument is not, Shutdown stops checkpointing', async () => {
    // Prepare
    const daemon = startChild(freshDir());
    await daemon.initialize('TRIM_HORIZON');
    // Act 1: throttled twice, then a dependency failure, then success
    daemon.checkpointFaults.push('ThrottlingException', 'KinesisClientLibDependencyException');
    await daemon.processRecords(records(1, [{ agent: 201, status: 'Available' }]), 0);
    await tickUntilCheckpointed(daemon, sequenceNumber(1));
    const retried = daemon.checkpoints.filter((c) => c.sequenceNumber === sequenceNumber(1));
    // Assess 1
    expect(retried.map((c) => c.error)).toEqual(['ThrottlingException', 'KinesisClientLibDependencyException', null]);

    // Act 2: another worker moved the lease ahead: the child's value is out of range (older than stored)
    await daemon.processRecords(records(2, [{ agent: 201, status: 'Break' }]), 0);
    daemon.lease.checkpoint = sequenceNumber(50);
    daemon.largestPermitted = { sequenceNumber: sequenceNumber(60), subSequenceNumber: 0 };
    for (let i = 0; i < 10 && !daemon.checkpoints.some((c) => c.error === 'IllegalArgumentException'); i++) {
      await sleep(WINDOW_MS);
      await daemon.processRecords([], null);
    }
    const illegal = daemon.checkpoints.filter((c) => c.error === 'IllegalArgumentException');
    // Assess 2: refused once, not retried within the same call
    expect(illegal).toHaveLength(1);
    expect(illegal[0]!.sequenceNumber).toBe(sequenceNumber(2));

    // Act 3: the lease is gone: ShutdownException → no more checkpoint attempts
    daemon.lease.checkpoint = sequenceNumber(1);
    await daemon.processRecords(records(3, [{ agent: 201, status: 'Lunch' }]), 0);
    daemon.checkpointFaults.push('ShutdownException');
    for (let i = 0; i < 10 && !daemon.checkpoints.some((c) => c.error === 'ShutdownException'); i++) {
      await sleep(WINDOW_MS);
      await daemon.processRecords([], null);
    }
    const before = daemon.checkpoints.length;
    for (let i = 0; i < 3; i++) {
      await sleep(WINDOW_MS);
      await daemon.processRecords([], null);
    }
    // Assess 3
    expect(daemon.checkpoints.some((c) => c.error === 'ShutdownException')).toBe(true);
    expect(daemon.checkpoints.length).toBe(before);
    // No checkpoint is ever attempted where the daemon has no checkpointer (initialize, leaseLost)
    expect(await daemon.leaseLost()).toEqual({ kind: 'ok' });
    expect(daemon.checkpoints.filter((c) => c.error === 'InvalidStateException')).toEqual([]);
    expect(await daemon.close()).toBe(0);
  });

  test('restart from a stored checkpoint: re-delivered records post nothing already delivered', async () => {
    // Prepare: first child delivers and checkpoints 1..2, sees 3..4 but loses its lease before checkpointing them
    const dir = freshDir();
    const first = startChild(dir);
    await first.initialize('TRIM_HORIZON');
    const t = Date.now();
    await first.processRecords(
      records(
        1,
        [
          { agent: 301, status: 'Available' },
          { agent: 302, status: 'Available' },
        ],
        t,
      ),
      0,
    );
    await tickUntilCheckpointed(first, sequenceNumber(2));
    await first.processRecords(
      records(
        3,
        [
          { agent: 301, status: 'Break' },
          { agent: 302, status: 'Lunch' },
        ],
        t + 10,
      ),
      0,
    );
    // Delivered and recorded as delivered in the child's store, but not yet checkpointed (the child checkpoints only
    // inside processRecords, and none follows)
    for (let i = 0; storedState(dir, 301) !== 'Break' || storedState(dir, 302) !== 'Lunch'; i++) {
      if (i >= 300) throw new Error('Break and Lunch were not delivered and stored within 300 polls');
      await sleep(100);
    }
    await first.leaseLost();
    expect(await first.close()).toBe(0);
    const postsBefore = statesFor(301).length + statesFor(302).length;
    // Act: the next owner starts at the stored checkpoint and gets 3..4 again
    const second = startChild(dir);
    second.lease = { ...first.lease };
    expect(await second.initialize(first.lease.checkpoint)).toEqual({ kind: 'ok' });
    await second.processRecords(
      records(
        3,
        [
          { agent: 301, status: 'Break' },
          { agent: 302, status: 'Lunch' },
        ],
        t + 10,
      ),
      0,
    );
    await tickUntilCheckpointed(second, sequenceNumber(4));
    await second.leaseLost();
    expect(await second.close()).toBe(0);
    // Assess
    expect(first.lease.checkpoint).toBe(sequenceNumber(2));
    expect(statesFor(301)).toEqual(['Available', 'Break']);
    expect(statesFor(302)).toEqual(['Available', 'Lunch']);
    expect(statesFor(301).length + statesFor(302).length).toBe(postsBefore);
  });

  test('leaseLost mid-stream: status, no checkpoint, exit', async () => {
    // Prepare
    const daemon = startChild(freshDir());
    await daemon.initialize('TRIM_HORIZON');
    // Act
    await daemon.processRecords(records(1, [{ agent: 401, status: 'Available' }]), 0);
    const result = await daemon.leaseLost();
    const code = await daemon.close();
    // Assess
    expect(result).toEqual({ kind: 'ok' });
    expect(daemon.checkpoints).toEqual([]);
    expect(code).toBe(0);
  });

  test('graceful handoff: shutdownRequested flushes, delivers and checkpoints; then leaseLost', async () => {
    // Prepare
    const daemon = startChild(freshDir());
    await daemon.initialize('TRIM_HORIZON');
    await daemon.processRecords(
      records(1, [
        { agent: 501, status: 'Available' },
        { agent: 502, status: 'Training' },
      ]),
      0,
    );
    // Act
    expect(await daemon.shutdownRequested()).toEqual({ kind: 'ok' });
    expect(await daemon.leaseLost()).toEqual({ kind: 'ok' });
    const code = await daemon.close();
    // Assess
    expect(daemon.lease.checkpoint).toBe(sequenceNumber(2));
    expect(daemon.checkpoints.at(-1)).toMatchObject({ during: 'shutdownRequested', error: null });
    expect(receiver.currentStates().get(userCode(502))).toBe('Training');
    expect(code).toBe(0);
  });

  test('shardEnded: delivers, then checkpoints SHARD_END with null', async () => {
    // Prepare
    const daemon = startChild(freshDir());
    await daemon.initialize('TRIM_HORIZON');
    await daemon.processRecords(records(1, [{ agent: 601, status: 'Meeting' }]), 0);
    // Act
    const result = await daemon.shardEnded();
    const code = await daemon.close();
    // Assess
    expect(result).toEqual({ kind: 'ok' });
    expect(daemon.lease.checkpoint).toBe(SHARD_END);
    expect(daemon.checkpoints.at(-1)).toMatchObject({ during: 'shardEnded', sequenceNumber: null, error: null });
    expect(receiver.currentStates().get(userCode(601))).toBe('Meeting');
    expect(code).toBe(0);
  });

  test('shardEnded when the last record is already checkpointed (KCL #211): still reaches SHARD_END', async () => {
    // Prepare
    const daemon = startChild(freshDir());
    await daemon.initialize('TRIM_HORIZON');
    await daemon.processRecords(records(1, [{ agent: 602, status: 'Available' }]), 0);
    await tickUntilCheckpointed(daemon, sequenceNumber(1));
    // Act
    const result = await daemon.shardEnded();
    // Assess
    expect(result).toEqual({ kind: 'ok' });
    expect(daemon.lease.checkpoint).toBe(SHARD_END);
    expect(daemon.checkpoints.filter((c) => c.sequenceNumber === sequenceNumber(1))).toHaveLength(1);
    expect(await daemon.close()).toBe(0);
  });

  test('empty batches, KPL sub-sequence numbers, a non-ASCII partition key, unknown and malformed daemon lines', async () => {
    // Prepare
    const daemon = startChild(freshDir());
    await daemon.initialize('TRIM_HORIZON');
    const t = Date.now();
    // KPL user records share one sequence number; Connect does not aggregate, so each is a different agent here.
    const kpl = [0, 1, 2].map((sub) =>
      FakeDaemon.record(
        sequenceNumber(1),
        agentEvent({ agent: 701 + sub, status: ['Available', 'Break', 'Lunch'][sub]!, at: t + sub }),
        'agent-ü-東京',
        sub,
      ),
    );
    // Act
    expect(await daemon.processRecords([], null)).toEqual({ kind: 'ok' });
    expect(await daemon.dispatchRaw({ action: 'bogus' })).toEqual({ kind: 'ok' });
    daemon.child.stdin.write('this is not json\n');
    expect(await daemon.dispatchRaw({ action: 'shutdown', reason: 'TERMINATE' })).toEqual({ kind: 'ok' });
    expect(await daemon.processRecords(kpl, 0)).toEqual({ kind: 'ok' });
    await tickUntilCheckpointed(daemon, sequenceNumber(1));
    await daemon.leaseLost();
    // Assess
    expect(await daemon.close()).toBe(0);
    expect([701, 702, 703].map((a) => receiver.currentStates().get(userCode(a)))).toEqual([
      'Available',
      'Break',
      'Lunch',
    ]);
    expect(daemon.lease.subSequenceNumber).toBe(0);
    expect(daemon.logged('skipping malformed line from the MultiLangDaemon')).toHaveLength(1);
  });

  test('stdout noise from application code goes to stderr, never onto the protocol channel', async () => {
    // Prepare: a preload that prints to stdout the way careless code does
    const dir = freshDir();
    const noise = join(dir, 'noise.js');
    writeFileSync(
      noise,
      "setInterval(() => { console.log('noise from console.log'); process.stdout.write('raw noise\\n'); }, 20).unref();\n",
    );
    const daemon = startChild(dir, { NODE_OPTIONS: `--require ${noise}` });
    // Act
    await daemon.initialize('TRIM_HORIZON');
    await daemon.processRecords(records(1, [{ agent: 801, status: 'Available' }]), 0);
    await tickUntilCheckpointed(daemon, sequenceNumber(1));
    await daemon.leaseLost();
    // Assess
    expect(await daemon.close()).toBe(0);
    // Noise before the child claims stdout (the preload runs first) is skipped by the daemon; after, it is on stderr.
    expect(daemon.skippedLines.every((l) => l.includes('noise'))).toBe(true);
    expect(daemon.stderrLines.some((l) => l.includes('noise from console.log'))).toBe(true);
  });

  test('a 10,000-record batch (about 13 MB on one line) is processed and checkpointed', async () => {
    // Prepare
    const daemon = startChild(freshDir());
    await daemon.initialize('TRIM_HORIZON');
    const t = Date.now();
    const pad = 'x'.repeat(700);
    const batch = Array.from({ length: 10000 }, (_, i) =>
      FakeDaemon.record(sequenceNumber(1 + i), {
        ...agentEvent({ agent: 9000 + (i % 500), status: STATUS(i), at: t + i }),
        Pad: pad,
      }),
    );
    // Act
    expect(await daemon.processRecords(batch, 0)).toEqual({ kind: 'ok' });
    await tickUntilCheckpointed(daemon, sequenceNumber(10000));
    await daemon.leaseLost();
    // Assess
    expect(await daemon.close()).toBe(0);
    expect(receiver.currentStates().get(userCode(9000 + (9999 % 500)))).toBe(STATUS(9999));
  });

  test('SIGTERM while a batch is outstanding is ignored; stdin EOF with open handles still ends the child', async () => {
    // Prepare
    const daemon = startChild(freshDir(), { METRICS_EMF: 'true', METRICS_INTERVAL_MS: '1000' });
    await daemon.initialize('TRIM_HORIZON');
    // Act: the signal lands while processRecords is outstanding
    const pending = daemon.processRecords(records(1, [{ agent: 901, status: 'Available' }]), 0);
    daemon.kill('SIGTERM');
    const result = await pending;
    await sleep(WINDOW_MS);
    // EOF without any terminal action (the daemon died): pipeline timers, EMF timer and keep-alive sockets are open
    const code = await daemon.close(5000);
    // Assess
    expect(result).toEqual({ kind: 'ok' });
    expect(daemon.exitSignal).toBeNull();
    expect(code).toBe(0);
  });

  test('the driver itself: a crash or a status with an extra field is fatal to the daemon', async () => {
    // Prepare
    const crash = new FakeDaemon({ executableName: `${process.execPath} -e process.exit(3)` });
    const extra = new FakeDaemon({
      executableName: `${process.execPath} -e process.stdin.once('data',()=>process.stdout.write('{"action":"status","responseFor":"initialize","extra":1}\\n'));setTimeout(()=>{},2000)`,
      messageTimeoutMillis: 1000,
    });
    daemons.push(crash, extra);
    // Act
    const crashed = await crash.initialize('TRIM_HORIZON');
    const halted = await extra.initialize('TRIM_HORIZON');
    // Assess
    expect(crashed.kind).toBe('fatal');
    expect(halted.kind).toBe('halt');
    expect(extra.skippedLines).toHaveLength(1);
    expect(parseChildLine('{"action":"checkpoint","checkpoint":"1"}')).toBeUndefined();
    expect(parseChildLine('{"responseFor":"x","action":"status"}')).toBeDefined();
  });
});

function STATUS(i: number): string {
  return ['Available', 'Break', 'Lunch', 'Training'][i % 4]!;
}

/** Issue 12: a lease moving to another worker and a shard ending never leave WFM with an older state than Connect's. */
const PARENT = 'shardId-000000000000';
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const leaseRecord = (n: number, agent: number, status: string, type?: 'HEART_BEAT'): KclRecordMessage =>
  FakeDaemon.record(sequenceNumber(n), agentEvent({ agent, status, type, at: T0 + n * 1000 }), `pk-${agent}`);

describe('kcl-processor: lease moves and shard ends converge WFM to the newest state', () => {
  test('leaseLost with an open window posts nothing: the new owner’s newer state stays in WFM', async () => {
    // Prepare: the old owner delivered Available and holds Break in a long open window
    const dir = mkdtempSync(join(tmpdir(), 'cwfm-lease-'));
    const old = startChild(dir, { RTA_WINDOW_MS: '8000' });
    await old.initialize('TRIM_HORIZON');
    await old.processRecords([leaseRecord(1, 451, 'Available')], 0);
    await tickUntilCheckpointed(old, sequenceNumber(1), 100);
    await old.processRecords([leaseRecord(2, 451, 'Break')], 0);
    // Act: the lease was stolen; the new owner reads on from the checkpoint and delivers Lunch
    const next = startChild(dir, { RTA_WINDOW_MS: '100' });
    await next.initialize(sequenceNumber(1));
    await next.processRecords([leaseRecord(2, 451, 'Break'), leaseRecord(3, 451, 'Lunch')], 0);
    await tickUntilCheckpointed(next, sequenceNumber(3));
    expect(receiver.currentStates().get(userCode(451))).toBe('Lunch');
    // …and only now does the old owner learn that its lease is gone
    expect(await old.leaseLost()).toEqual({ kind: 'ok' });
    expect(await old.close()).toBe(0);
    await sleep(300);
    // Assess
    expect(receiver.currentStates().get(userCode(451))).toBe('Lunch');
    expect(statesFor(451)).toEqual(['Available', 'Lunch']);
    expect(old.checkpoints.map((c) => c.sequenceNumber)).toEqual([sequenceNumber(1)]);
    expect(await next.leaseLost()).toEqual({ kind: 'ok' });
    expect(await next.close()).toBe(0);
  });

  test('a checkpoint refused with ShutdownException drops the open window and everything after it', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cwfm-lease-'));
    const old = startChild(dir, { RTA_WINDOW_MS: '8000' });
    await old.initialize('TRIM_HORIZON');
    await old.processRecords([leaseRecord(1, 452, 'Available')], 0);
    await tickUntilCheckpointed(old, sequenceNumber(1), 100);
    await old.processRecords([leaseRecord(2, 452, 'Break')], 0);
    for (let i = 0; i < 250 && receiver.currentStates().get(userCode(452)) !== 'Break'; i++) await sleep(50);
    // Act: the next checkpoint (seq 2) is refused because another worker took the lease; the same batch opened a
    // window with Meeting, and a later batch still arrives before leaseLost
    old.checkpointFaults.push('ShutdownException');
    expect(await old.processRecords([leaseRecord(3, 452, 'Meeting')], 0)).toEqual({ kind: 'ok' });
    expect(old.checkpoints.at(-1)).toMatchObject({ sequenceNumber: sequenceNumber(2), error: 'ShutdownException' });
    expect(await old.processRecords([leaseRecord(4, 452, 'Training')], 0)).toEqual({ kind: 'ok' });
    const next = startChild(dir, { RTA_WINDOW_MS: '100' });
    await next.initialize(sequenceNumber(1));
    await next.processRecords(
      [leaseRecord(2, 452, 'Break'), leaseRecord(3, 452, 'Meeting'), leaseRecord(4, 452, 'Lunch')],
      0,
    );
    await tickUntilCheckpointed(next, sequenceNumber(4));
    await sleep(8500); // longer than the old owner's window
    // Assess
    expect(receiver.currentStates().get(userCode(452))).toBe('Lunch');
    expect(statesFor(452)).toEqual(['Available', 'Break', 'Lunch']);
    expect(await old.leaseLost()).toEqual({ kind: 'ok' });
    expect(await old.close()).toBe(0);
    expect(await next.leaseLost()).toEqual({ kind: 'ok' });
    expect(await next.close()).toBe(0);
  });

  test('shardEnded never checkpoints SHARD_END while the agent states fail to save; after a restart it does', async () => {
    // Prepare: two agents delivered and checkpointed, one more state delivered in the last batch
    const dir = mkdtempSync(join(tmpdir(), 'cwfm-end-'));
    const file = join(dir, `kcl-${PARENT}.progress.json`);
    const first = startChild(dir, { RTA_WINDOW_MS: '100' });
    await first.initialize('TRIM_HORIZON');
    await first.processRecords([leaseRecord(1, 453, 'Available'), leaseRecord(2, 454, 'Break')], 0);
    await tickUntilCheckpointed(first, sequenceNumber(2));
    await first.processRecords([leaseRecord(3, 453, 'Lunch')], 0);
    // Act 1: the store fails (the progress file's place is taken by a non-empty directory: rename fails)
    const saved = readFileSync(file, 'utf8');
    rmSync(file);
    mkdirSync(join(file, 'blocker'), { recursive: true });
    const ended = await first.shardEnded();
    // Assess 1: the child failed instead of checkpointing SHARD_END; WFM has the state, the lease does not move on
    expect(ended.kind).toBe('fatal');
    expect(first.lease.checkpoint).toBe(sequenceNumber(2));
    expect(first.checkpoints.some((c) => c.during === 'shardEnded')).toBe(false);
    expect(receiver.currentStates().get(userCode(453))).toBe('Lunch');
    await first.close();

    // Act 2: the store is back; the daemon restarts the shard from its checkpoint
    rmSync(file, { recursive: true });
    writeFileSync(file, saved);
    const again = startChild(dir, { RTA_WINDOW_MS: '100' });
    again.lease = { checkpoint: sequenceNumber(2), subSequenceNumber: 0 };
    await again.initialize(sequenceNumber(2));
    await again.processRecords([leaseRecord(3, 453, 'Lunch')], 0);
    expect(await again.shardEnded()).toEqual({ kind: 'ok' });
    expect(again.lease.checkpoint).toBe(SHARD_END);
    await again.close();
    // Assess 2: the child shard's owner starts from the saved states and posts nothing WFM already has
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { agentStates: { userCode: string; stateCode: string }[] };
    expect(stored.agentStates.find((s) => s.userCode === userCode(453))?.stateCode).toBe('Lunch');
    const posted = receiver.totalStates;
    const child = startChild(dir, { RTA_WINDOW_MS: '100' }, 'shardId-000000000001');
    await child.initialize('TRIM_HORIZON');
    await child.processRecords(
      [leaseRecord(4, 453, 'Lunch', 'HEART_BEAT'), leaseRecord(5, 454, 'Break', 'HEART_BEAT')],
      0,
    );
    await tickUntilCheckpointed(child, sequenceNumber(5));
    expect(receiver.totalStates).toBe(posted);
    expect(receiver.currentStates().get(userCode(453))).toBe('Lunch');
    expect(receiver.currentStates().get(userCode(454))).toBe('Break');
    await child.leaseLost();
    await child.close();
    expect(existsSync(file)).toBe(true);
  });
});
