import { errorMessage, isRetryable } from '../../../../common/errors';
import type { Logger } from '../../../../common/logging/logger';
import { ConsumerMetric } from '../../../../common/observability/metricNames';
import type { Metrics } from '../../../../common/observability/metrics';
import type { CheckpointStore, ShardCheckpoint } from '../../checkpoint/types';
import { backoffMillis } from '../../delivery/backoff';
import type { CodedState, Postable } from '../../delivery/CoalescingDelivery';
import type { DeliveredState } from '../../domain/agentState';
import type { StateDelivery } from '../../delivery/types';
import { type Correction, connectCorrections, connectSnapshotComposer } from '../connectTruth';
import type { ConnectSnapshotSource } from '../ConnectSnapshotSource';
import { reportCorrections } from '../reportCorrections';
import { takeSnapshot } from '../snapshotAtStart';
import { type SnapshotReason, snapshotReason } from '../snapshotReason';
import type { AgentStateWriteBack } from './AgentStateWriteBack';
import type { TruthLease } from './TruthLease';

export interface KclConnectTruthOptions {
  source: Pick<ConnectSnapshotSource, 'take'>;
  /** The whole fleet's progress: the lease table's checkpoints and every agent's item (no shard filter). */
  store: CheckpointStore;
  lease: Pick<TruthLease, 'acquire' | 'renew' | 'release' | 'recordFirstStartSnapshot' | 'read'>;
  writeBack: Pick<AgentStateWriteBack, 'writeIfOlder'>;
  delivery: StateDelivery;
  retentionMillis: () => Promise<number>;
  leaseMillis: number;
  reconcileIntervalMillis: number;
  loggedOutStateCode: string;
  maxBatchStates: number;
  logger: Logger;
  metrics: Metrics;
  /** How long a process waits for the holder's first-start snapshot before it reads the look-back alone. */
  firstStartWaitMillis?: number;
  /** WFM outages longer than this give up the first-start snapshot (the stream alone then decides). */
  snapshotPostMillis?: number;
}

/** A first-start marker older than this before our own start belongs to an earlier start. */
const MARKER_FRESHNESS_MILLIS = 120_000;

/**
 * KCL mode's Connect truth job, run next to the MultiLangDaemon by `kcl-daemon`, by one process of the fleet at a
 * time (TruthLease). The holder posts Connect's snapshot at a first start (or after an outage beyond retention) and
 * reconciles every CONNECT_RECONCILE_INTERVAL_MS against the agent-state table, where the children record what WFM
 * was sent; its own writes there are conditional on an older event time, so a child's newer stream state wins.
 */
export class KclConnectTruth {
  private holding = false;
  private stopped = false;
  private leaseTimer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: KclConnectTruthOptions) {}

  get isHolder(): boolean {
    return this.holding;
  }

  /**
   * Before the daemon starts. Resolves with the time the stream is to be read from at a first start (the snapshot's),
   * or undefined: the checkpoints, or the look-back, decide as without Connect. Every process of a first start waits
   * here for the holder's snapshot, so that no child reads history older than it.
   */
  async beforeDaemon(): Promise<number | undefined> {
    const { store, lease, logger } = this.options;
    const bootAt = Date.now();
    await store.prepare();
    const checkpoints = realCheckpoints(await store.loadCheckpoints());
    const reason = snapshotReason({
      checkpoints,
      agentStates: await store.loadAgentStates(),
      retentionMillis: await this.options.retentionMillis(),
      nowMillis: Date.now(),
    });
    // No stored position: the leases start at AT_TIMESTAMP, so every process must agree on it.
    const noPosition = checkpoints.size === 0;
    const deadline = bootAt + (this.options.firstStartWaitMillis ?? 600_000);
    this.keepLease();
    try {
      for (;;) {
        if (await this.tryAcquire()) {
          const takenAt = reason ? await this.snapshot(reason) : undefined;
          if (!noPosition) return undefined;
          // Recorded once the table holds the snapshot: the processes waiting below start their daemons then.
          // Without a snapshot to take, an earlier one's time still holds (the table has its states); failed: none.
          const marker = reason ? (takenAt ?? 0) : ((await lease.read()).firstStartSnapshotAtMillis ?? 0);
          await lease.recordFirstStartSnapshot(marker);
          return marker || undefined;
        }
        if (!noPosition) return undefined;
        // A first start's snapshot is being taken by the holder (its lease is live, or we would hold it): wait for it.
        const marker = (await lease.read()).firstStartSnapshotAtMillis;
        // An old marker is an earlier start's when this start needs a snapshot of its own.
        if (marker !== undefined && (reason === undefined || marker >= bootAt - MARKER_FRESHNESS_MILLIS)) {
          logger.info('another process took the first-start snapshot from Amazon Connect; reading from its time', {
            snapshotAt: marker ? new Date(marker).toISOString() : null,
          });
          return marker || undefined;
        }
        if (Date.now() > deadline) {
          logger.warn('no first-start snapshot from Amazon Connect came in time; reading the stream alone');
          return undefined;
        }
        await sleep(500);
      }
    } finally {
      this.startReconciling();
    }
  }

  /** One reconciliation now (tests, and the timer); never two at once. Resolves with the corrections. */
  reconcileOnce(): Promise<Correction[] | undefined> {
    const run = (this.running ??= this.reconcile().finally(() => (this.running = undefined)));
    return run as Promise<Correction[] | undefined>;
  }

  /** SIGTERM: no more reconciliations; the lease is released so another process takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.leaseTimer);
    clearInterval(this.reconcileTimer);
    await this.running?.catch(() => undefined);
    if (this.holding) {
      this.holding = false;
      await this.options.lease.release().catch((error: unknown) =>
        this.options.logger.warn('could not release the Connect truth lease; it expires by itself', {
          error: errorMessage(error),
        }),
      );
    }
  }

  private async tryAcquire(): Promise<boolean> {
    try {
      const held = await this.options.lease.acquire();
      if (held && !this.holding) this.options.logger.info('this process runs the Amazon Connect truth job');
      this.holding = held;
    } catch (error) {
      this.options.logger.warn('could not read the Connect truth lease; trying again', { error: errorMessage(error) });
      this.holding = false;
    }
    return this.holding;
  }

  /** Renews the lease while held (during a snapshot too), tries to take it otherwise, a third of the lease apart. */
  private keepLease(): void {
    if (this.stopped) return;
    this.leaseTimer = setInterval(() => void this.tend(), Math.max(200, Math.floor(this.options.leaseMillis / 3)));
    this.leaseTimer.unref();
  }

  private startReconciling(): void {
    if (this.stopped || this.options.reconcileIntervalMillis <= 0) return;
    this.reconcileTimer = setInterval(() => void this.reconcileOnce(), this.options.reconcileIntervalMillis);
    this.reconcileTimer.unref();
  }

  private async tend(): Promise<void> {
    if (this.stopped) return;
    if (!this.holding) {
      await this.tryAcquire();
      return;
    }
    try {
      if (await this.options.lease.renew()) return;
      this.options.logger.warn('another process took over the Amazon Connect truth job');
    } catch (error) {
      this.options.logger.warn('could not renew the Connect truth lease', { error: errorMessage(error) });
      return; // still ours until it expires; the next renewal tries again
    }
    this.holding = false;
  }

  /** Connect's truth as one IsSnapshot request, then recorded in the table; resolves with its time, or undefined. */
  private async snapshot(reason: SnapshotReason): Promise<number | undefined> {
    const { source, store, logger, loggedOutStateCode } = this.options;
    const started = Date.now();
    const snapshot = await takeSnapshot(source, reason, logger);
    if (!snapshot) return undefined;
    const { takenAtMillis, states, calls } = snapshot;
    // Read after Connect: children of other processes may have delivered newer states meanwhile.
    const stored = await store.loadAgentStates();
    if (states.length === 0) logger.warn('Amazon Connect reports no logged-in agent; WFM logs everyone out');
    const delivered = new Map(stored.map((s) => [s.userCode, s]));
    // A stream state stored from an event at or after the snapshot's time wins, as in direct mode.
    const composed = connectSnapshotComposer(states, takenAtMillis, loggedOutStateCode).compose(delivered, []);
    try {
      await this.post([...composed.values()], true, this.options.snapshotPostMillis ?? 60_000);
    } catch (error) {
      logger.error('WFM did not take the Amazon Connect snapshot; reading the stream alone', {
        reason,
        error: errorMessage(error),
      });
      return undefined;
    }
    logger.info('posted the Amazon Connect snapshot to WFM', {
      reason,
      agents: composed.size,
      calls,
      millis: Date.now() - started,
    });
    // Agents the snapshot left out are logged out in WFM now: recorded so, unless a newer stream state is stored.
    const loggedOut: CodedState[] = stored
      .filter((s) => !composed.has(s.userCode) && s.stateCode !== loggedOutStateCode)
      .map((s) => loggedOutState(s, loggedOutStateCode, takenAtMillis));
    const fromConnect = states.filter((s) => composed.get(s.userCode) === s);
    const { written } = await this.options.writeBack.writeIfOlder([...fromConnect, ...loggedOut], takenAtMillis);
    logger.info('recorded the Amazon Connect snapshot in the agent-state table', {
      agents: written,
      millis: Date.now() - started,
    });
    return takenAtMillis;
  }

  private async reconcile(): Promise<Correction[] | undefined> {
    const { source, store, logger, metrics, loggedOutStateCode } = this.options;
    if (!this.holding || this.stopped) return undefined;
    try {
      const snapshot = await source.take();
      const stored = await store.loadAgentStates();
      const delivered = new Map(stored.map((s) => [s.userCode, s]));
      const eventTimes = new Map(stored.map((s) => [s.agentArn, s.eventTimeMillis]));
      const corrections = connectCorrections(
        snapshot.states,
        snapshot.takenAtMillis,
        delivered,
        (arn) => eventTimes.get(arn),
        loggedOutStateCode,
      );
      if (corrections.length > 0) {
        await this.post(
          corrections.map((c) => c.state),
          false,
          this.options.reconcileIntervalMillis,
        );
        // A child that delivered a newer state meanwhile may have posted it before ours: it is posted again.
        const { newer } = await this.options.writeBack.writeIfOlder(
          corrections.map((c) => c.state),
          snapshot.takenAtMillis,
        );
        if (newer.length > 0) await this.post(newer, false, this.options.reconcileIntervalMillis);
      }
      reportCorrections(corrections, snapshot, logger, metrics);
      return corrections;
    } catch (error) {
      logger.warn('reconciliation with Amazon Connect failed; next interval retries', { error: errorMessage(error) });
      return undefined;
    }
  }

  /** Posts in requests of at most RTA_MAX_BATCH_STATES (a snapshot in one), retrying what may succeed later. */
  private async post(states: readonly Postable[], isSnapshot: boolean, withinMillis: number): Promise<void> {
    const deadline = Date.now() + withinMillis;
    const size = isSnapshot ? Math.max(1, states.length) : this.options.maxBatchStates;
    for (let i = 0; i < Math.max(1, states.length); i += size) {
      const batch = {
        states: states.slice(i, i + size).map((s) => ({ userCode: s.userCode, stateCode: s.stateCode })),
        isSnapshot,
      };
      for (let attempt = 1; ; attempt++) {
        try {
          await this.options.delivery.post(batch);
          this.options.metrics.count(ConsumerMetric.StatesPosted, batch.states.length);
          break;
        } catch (error) {
          this.options.metrics.count(ConsumerMetric.PostFailures);
          if (!isRetryable(error) || Date.now() > deadline || this.stopped) throw error;
          await sleep(backoffMillis(attempt, 500, 10_000));
        }
      }
    }
  }
}

/** Stored positions only: TRIM_HORIZON, LATEST and AT_TIMESTAMP are what KCL writes into a lease nobody read yet. */
function realCheckpoints(all: ReadonlyMap<string, ShardCheckpoint>): Map<string, ShardCheckpoint> {
  return new Map([...all].filter(([, c]) => /^\d+$/.test(c.sequenceNumber) || c.sequenceNumber === 'SHARD_END'));
}

function loggedOutState(s: DeliveredState, code: string, atMillis: number): CodedState {
  return {
    userCode: s.userCode,
    stateCode: code,
    loggedOut: true,
    agentArn: s.agentArn,
    eventTimeMillis: atMillis,
    sourceId: s.sourceId ?? '',
    sequenceNumber: '0',
  };
}

const sleep = (millis: number): Promise<void> => new Promise((r) => setTimeout(r, millis));
