/**
 * A fake KCL MultiLangDaemon for one shard, following docs/reference/multilang-protocol.md#fake-daemon: exact message
 * shapes, strict call/response, Jackson's parsing rules for child lines (unknown keys → skipped line), the checkpoint
 * range rules and error replies, stray checkpoints applied at the next action, and the close/drain/waitFor sequence
 * after terminal actions. It drives the REAL child process.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export const SHARD_END = 'SHARD_END';
const SENTINELS = new Set(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']);

const ALLOWED_KEYS: Record<string, readonly string[]> = {
  status: ['action', 'responseFor'],
  checkpoint: ['action', 'sequenceNumber', 'subSequenceNumber', 'error'],
  initialize: ['action', 'shardId', 'sequenceNumber', 'subSequenceNumber'],
  processRecords: ['action', 'records', 'millisBehindLatest'],
  shutdown: ['action', 'reason'],
  leaseLost: ['action'],
  shardEnded: ['action'],
  shutdownRequested: ['action'],
};

export interface KclRecordMessage {
  data: string;
  partitionKey: string;
  sequenceNumber: string;
  approximateArrivalTimestamp: number | null;
  subSequenceNumber: number;
  action: 'record';
}

export type Action = 'initialize' | 'processRecords' | 'leaseLost' | 'shardEnded' | 'shutdownRequested' | string;

export interface CheckpointRequest {
  during: Action;
  sequenceNumber: string | null;
  subSequenceNumber: number | null;
  /** The reply's error (null = success). */
  error: string | null;
}

/** The outcome of one action, as the daemon would see it. */
export type DispatchResult = { kind: 'ok' } | { kind: 'fatal'; reason: string } | { kind: 'halt'; reason: string };

export class DaemonFatal extends Error {}

export interface FakeDaemonOptions {
  /** executableName: split on / +/ like the daemon does, run with no shell. */
  executableName: string;
  env?: Record<string, string>;
  cwd?: string;
  shardId?: string;
  /** Per-message wait (timeoutInSeconds); on expiry the JVM would halt. */
  messageTimeoutMillis?: number;
}

type Line = { kind: 'line'; text: string } | { kind: 'eof' };

export class FakeDaemon {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stderrLines: string[] = [];
  /** Child stdout lines the daemon would log as "Skipping unexpected line on STDOUT". */
  readonly skippedLines: string[] = [];
  readonly checkpoints: CheckpointRequest[] = [];
  readonly shardId: string;
  /** The fake lease. */
  lease: { checkpoint: string | null; subSequenceNumber: number | null } = {
    checkpoint: 'TRIM_HORIZON',
    subSequenceNumber: 0,
  };
  /** Largest extended sequence number delivered so far (set before each processRecords). */
  largestPermitted: { sequenceNumber: string | null; subSequenceNumber: number } = {
    sequenceNumber: null,
    subSequenceNumber: 0,
  };
  /** Errors to reply to the next checkpoint requests, in order (e.g. 'ThrottlingException'). */
  readonly checkpointFaults: string[] = [];
  exitCode: number | null | undefined;
  exitSignal: NodeJS.Signals | null | undefined;
  private readonly queue: Line[] = [];
  private waiter: (() => void) | undefined;
  private readonly exited: Promise<void>;
  private stdoutEnded = false;
  private readonly timeoutMillis: number;

  constructor(options: FakeDaemonOptions) {
    const cmd = options.executableName.split(/ +/);
    this.shardId = options.shardId ?? 'shardId-000000000000';
    this.timeoutMillis = options.messageTimeoutMillis ?? 30000;
    this.child = spawn(cmd[0]!, cmd.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      }),
    );
    // The daemon writes with a plain OutputStreamWriter; a child that died makes writes fail (fatal there too).
    this.child.stdin.on('error', () => undefined);
    createInterface({ input: this.child.stderr, crlfDelay: Infinity }).on('line', (l) => this.stderrLines.push(l));
    const out = createInterface({ input: this.child.stdout, crlfDelay: Infinity });
    out.on('line', (text) => this.enqueue({ kind: 'line', text }));
    out.on('close', () => {
      this.stdoutEnded = true;
      this.enqueue({ kind: 'eof' });
    });
  }

  // ---- message builders (docs/reference/multilang-protocol.md#messages: exact shapes, nulls included) ----

  static record(
    sequenceNumber: string,
    data: string | object,
    partitionKey = 'pk',
    subSequenceNumber = 0,
  ): KclRecordMessage {
    const raw = typeof data === 'string' ? data : JSON.stringify(data);
    return {
      data: Buffer.from(raw, 'utf8').toString('base64'),
      partitionKey,
      sequenceNumber,
      approximateArrivalTimestamp: Date.now(),
      subSequenceNumber,
      action: 'record',
    };
  }

  send(message: object): void {
    this.child.stdin.write(JSON.stringify(message) + '\n');
  }

  initialize(
    sequenceNumber: string | null = this.lease.checkpoint,
    subSequenceNumber: number | null = 0,
  ): Promise<DispatchResult> {
    if (sequenceNumber !== null && sequenceNumber !== this.lease.checkpoint)
      this.lease = { checkpoint: sequenceNumber, subSequenceNumber };
    // At initialize the largest permitted value is the current checkpoint.
    this.largestPermitted = {
      sequenceNumber: this.lease.checkpoint,
      subSequenceNumber: this.lease.subSequenceNumber ?? 0,
    };
    return this.dispatch(
      {
        action: 'initialize',
        shardId: this.shardId,
        sequenceNumber,
        subSequenceNumber: sequenceNumber === null ? null : subSequenceNumber,
      },
      false,
    );
  }

  processRecords(records: KclRecordMessage[], millisBehindLatest: number | null = 0): Promise<DispatchResult> {
    for (const r of records) {
      const candidate = { sequenceNumber: r.sequenceNumber, subSequenceNumber: r.subSequenceNumber };
      if (compareExtended(candidate, this.largestPermitted) > 0) this.largestPermitted = candidate;
    }
    return this.dispatch({ action: 'processRecords', records, millisBehindLatest }, true);
  }

  leaseLost(): Promise<DispatchResult> {
    return this.dispatch({ action: 'leaseLost' }, false);
  }

  async shardEnded(): Promise<DispatchResult> {
    this.largestPermitted = { sequenceNumber: SHARD_END, subSequenceNumber: 0 };
    const result = await this.dispatch({ action: 'shardEnded' }, true);
    if (result.kind === 'ok' && this.lease.checkpoint !== SHARD_END)
      return { kind: 'fatal', reason: "Application didn't checkpoint at end of shard" };
    return result;
  }

  shutdownRequested(): Promise<DispatchResult> {
    return this.dispatch({ action: 'shutdownRequested' }, true);
  }

  /** Sends any action (e.g. KCL 1.x's `shutdown`, or garbage) and waits for its status like the daemon would. */
  dispatchRaw(message: object, withCheckpointer = false): Promise<DispatchResult> {
    return this.dispatch(message as { action: string }, withCheckpointer);
  }

  /**
   * The terminal sequence (childProcessShutdownSequence): close stdin, drain stdout to EOF, waitFor() the exit.
   * Resolves with the exit code; rejects if the child would hang the daemon.
   */
  async close(timeoutMillis = 10000): Promise<number | null> {
    this.child.stdin.end();
    const drained = new Promise<void>((resolve) => {
      const check = (): void => {
        if (this.stdoutEnded) return resolve();
        setTimeout(check, 10);
      };
      check();
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMillis)));
    const outcome = await Promise.race([Promise.all([drained, this.exited]).then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      throw new DaemonFatal('daemon would hang in waitFor(): the child did not exit after stdin EOF');
    }
    return this.exitCode ?? null;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }

  /** Lines of stderr that are JSON log entries with this message. */
  logged(msg: string): Record<string, unknown>[] {
    return this.stderrLines
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      })
      .filter((e) => e.msg === msg);
  }

  // ---- the daemon's read loop ----

  private async dispatch(
    message: { action: string; [key: string]: unknown },
    withCheckpointer: boolean,
  ): Promise<DispatchResult> {
    const action = message.action;
    this.send(message);
    for (;;) {
      const line = await this.readNext();
      if (line === 'timeout')
        return { kind: 'halt', reason: `no message within ${this.timeoutMillis} ms during ${action}` };
      if (line.kind === 'eof')
        return { kind: 'fatal', reason: `Reached end of STDIN of child process during ${action}` };
      const parsed = parseChildLine(line.text);
      if (!parsed) {
        if (line.text !== '') this.skippedLines.push(line.text);
        continue;
      }
      if (parsed.action === 'checkpoint') {
        this.onCheckpoint(parsed, action, withCheckpointer);
        continue;
      }
      if (parsed.action === 'status') {
        if (parsed.responseFor !== action)
          return { kind: 'fatal', reason: `status for ${String(parsed.responseFor)} while waiting for ${action}` };
        return { kind: 'ok' };
      }
      // Other valid message types are ignored.
    }
  }

  private onCheckpoint(request: Record<string, unknown>, during: Action, withCheckpointer: boolean): void {
    const seq =
      request.sequenceNumber === undefined || request.sequenceNumber === null ? null : String(request.sequenceNumber);
    const sub = typeof request.subSequenceNumber === 'number' ? request.subSequenceNumber : null;
    let error: string | null = null;
    if (!withCheckpointer) error = 'InvalidStateException';
    else if (this.checkpointFaults.length > 0) error = this.checkpointFaults.shift()!;
    else error = this.applyCheckpoint(seq, sub);
    this.checkpoints.push({ during, sequenceNumber: seq, subSequenceNumber: sub, error });
    this.send({ action: 'checkpoint', sequenceNumber: seq, subSequenceNumber: sub, error });
  }

  /** ShardRecordProcessorCheckpointer: lastCheckpoint ≤ new ≤ largestPermitted. */
  private applyCheckpoint(seq: string | null, sub: number | null): string | null {
    const target = seq === null ? this.largestPermitted : { sequenceNumber: seq, subSequenceNumber: sub ?? 0 };
    if (target.sequenceNumber === null) return 'IllegalArgumentException';
    if (
      !/^\d+$/.test(target.sequenceNumber) &&
      target.sequenceNumber !== SHARD_END &&
      !SENTINELS.has(target.sequenceNumber)
    )
      return 'IllegalArgumentException';
    if (target.subSequenceNumber < 0) return 'IllegalArgumentException';
    const last = { sequenceNumber: this.lease.checkpoint, subSequenceNumber: this.lease.subSequenceNumber ?? 0 };
    if (compareExtended(target, last) < 0) return 'IllegalArgumentException';
    if (compareExtended(target, this.largestPermitted) > 0) return 'IllegalArgumentException';
    this.lease = { checkpoint: target.sequenceNumber, subSequenceNumber: target.subSequenceNumber };
    return null;
  }

  private enqueue(line: Line): void {
    this.queue.push(line);
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private async readNext(): Promise<Line | 'timeout'> {
    const deadline = Date.now() + this.timeoutMillis;
    while (this.queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const line = this.queue.shift()!;
    // EOF stays readable for later reads.
    if (line.kind === 'eof') this.queue.unshift(line);
    return line;
  }
}

/** Jackson with FAIL_ON_UNKNOWN_PROPERTIES: a plain object, a known action, no key outside its allowed set. */
export function parseChildLine(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  const allowed = typeof message.action === 'string' ? ALLOWED_KEYS[message.action] : undefined;
  if (!allowed) return undefined;
  if (Object.keys(message).some((k) => !allowed.includes(k))) return undefined;
  return message;
}

type Extended = { sequenceNumber: string | null; subSequenceNumber: number };

/** Extended sequence number order: TRIM_HORIZON/LATEST/AT_TIMESTAMP < numbers < SHARD_END. */
function compareExtended(a: Extended, b: Extended): number {
  const rank = (s: string | null): number => (s === null || SENTINELS.has(s) ? 0 : s === SHARD_END ? 2 : 1);
  const ra = rank(a.sequenceNumber);
  const rb = rank(b.sequenceNumber);
  if (ra !== rb || ra !== 1) return ra - rb;
  const x = BigInt(a.sequenceNumber!);
  const y = BigInt(b.sequenceNumber!);
  if (x !== y) return x < y ? -1 : 1;
  return a.subSequenceNumber - b.subSequenceNumber;
}
