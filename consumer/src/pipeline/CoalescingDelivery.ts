import { Subject } from 'rxjs';
import type { RtaConfig } from '../../../common/config/rtaConfig';
import { errorMessage, isRetryable } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import { backoffMillis } from '../delivery/backoff';
import { StateWindow } from './StateWindow';
import type { Acknowledgement, AgentState, DeliveredState, StateDelivery } from './types';

/** Builds a snapshot from outside truth (Amazon Connect) and the pipeline's delivered and pending states. */
export interface SnapshotComposer {
  compose(
    delivered: ReadonlyMap<string, DeliveredState>,
    pending: ReadonlyMap<string, AgentState>,
  ): Map<string, DeliveredState | AgentState>;
  /** What the agents a snapshot leaves out now are in WFM (logged out). */
  leftOutStateCode: string;
}

export interface CoalescingDeliveryOptions {
  rta: Pick<RtaConfig, 'maxBatchStates' | 'retryBaseMillis' | 'retryMaxMillis'>;
  delivery: StateDelivery;
  /** The last state WFM acknowledged per user code; updated here after every successful post. */
  delivered: Map<string, DeliveredState>;
  /** While true nothing is posted or acknowledged: windows keep coalescing (catch-up without false history). */
  isGated: () => boolean;
  logger: Logger;
  metrics: Metrics;
  sleep?: (millis: number) => Promise<void>;
}

/**
 * Delivers reduced windows to WFM strictly in order, one request in flight. Windows that arrive while a delivery
 * is failing are merged into it before the next attempt (the newest state per agent wins), so an outage holds at
 * most one state per agent, and the first successful post afterwards carries every agent's newest state.
 * Only changed agents are posted; a sequence number is acknowledged only once every state it produced is delivered.
 */
export class CoalescingDelivery {
  readonly acknowledgements$ = new Subject<Acknowledgement>();
  private readonly acknowledged = new Map<string, string>();
  private pending = new StateWindow();
  private inFlight: StateWindow | undefined;
  private snapshotRequested = false;
  private snapshotComposer: SnapshotComposer | undefined;
  private running = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private failure: { since: number; error: unknown; attempts: number } | undefined;
  private readonly sleep: (millis: number) => Promise<void>;

  constructor(private readonly options: CoalescingDeliveryOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  enqueue(window: StateWindow): void {
    this.pending.merge(window);
    this.kick();
  }

  /**
   * The next delivery sends every known agent in one IsSnapshot request (never chunked, never empty). With a
   * composer (Amazon Connect's truth) it sends what the composer makes of the delivered and pending states instead,
   * even when that is empty, and records the agents it leaves out as logged out.
   */
  requestSnapshot(composer?: SnapshotComposer): void {
    this.snapshotRequested = true;
    if (composer) this.snapshotComposer = composer;
    this.kick();
  }

  /** Starts delivering if there is work and the gate is open; call when the gate opens. */
  kick(): void {
    if (this.running || this.stopped || this.options.isGated() || !this.hasWork()) {
      if (!this.running) this.notifyIdle();
      return;
    }
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
      this.inFlight = undefined;
      this.kick();
    });
  }

  /** Resolves when nothing is in flight and nothing deliverable is pending (gated work does not count). */
  whenIdle(): Promise<void> {
    if (!this.running && (!this.hasWork() || this.options.isGated() || this.stopped)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  acknowledgedFor(sourceId: string): string | undefined {
    return this.acknowledged.get(sourceId);
  }

  dropSource(sourceId: string): void {
    this.pending.dropSource(sourceId);
    this.inFlight?.dropSource(sourceId);
  }

  /** `rejected`: WFM refuses the requests themselves (key, source): retrying cannot help until someone acts. */
  health(): { healthy: boolean; rejected?: boolean; reason?: string } {
    if (!this.failure) return { healthy: true };
    return {
      healthy: false,
      rejected: !isRetryable(this.failure.error),
      reason: `WFM delivery failing since ${new Date(this.failure.since).toISOString()}: ${errorMessage(this.failure.error)}`,
    };
  }

  /** Stops retrying; a pending failing delivery is abandoned (not acknowledged) at its next back-off. */
  stop(): void {
    this.stopped = true;
    this.notifyIdle();
  }

  private hasWork(): boolean {
    return this.snapshotRequested || !this.pending.isEmpty;
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async run(): Promise<void> {
    const batch = this.pending;
    this.inFlight = batch;
    this.pending = new StateWindow();
    let snapshot = this.snapshotRequested;
    this.snapshotRequested = false;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deliver(batch, snapshot);
        break;
      } catch (error) {
        this.recordFailure(error, attempt);
        const { retryBaseMillis, retryMaxMillis } = this.options.rta;
        await this.sleep(isRetryable(error) ? backoffMillis(attempt, retryBaseMillis, retryMaxMillis) : retryMaxMillis);
        if (this.stopped) return;
        batch.merge(this.pending);
        this.pending = new StateWindow();
        snapshot ||= this.snapshotRequested;
        this.snapshotRequested = false;
      }
    }
    if (this.failure) {
      this.options.logger.info('WFM delivery recovered', {
        attempts: this.failure.attempts,
        downMillis: Date.now() - this.failure.since,
      });
      this.failure = undefined;
    }
    for (const [sourceId, sequenceNumber] of batch.sequenceNumbers) {
      this.acknowledged.set(sourceId, sequenceNumber);
      this.acknowledgements$.next({ sourceId, sequenceNumber });
    }
  }

  private async deliver(batch: StateWindow, snapshot: boolean): Promise<void> {
    const { delivered, metrics } = this.options;
    if (snapshot && this.snapshotComposer) {
      const composer = this.snapshotComposer;
      const all = composer.compose(delivered, batch.states);
      await this.post([...all.values()], true);
      for (const d of delivered.values())
        if (!all.has(d.userCode)) delivered.set(d.userCode, { ...d, stateCode: composer.leftOutStateCode });
      for (const s of all.values()) delivered.set(s.userCode, toDelivered(s));
      if (this.snapshotComposer === composer) this.snapshotComposer = undefined;
      return;
    }
    if (snapshot) {
      const all = new Map<string, DeliveredState | AgentState>(delivered);
      for (const [userCode, state] of batch.states) all.set(userCode, state);
      if (all.size > 0) {
        await this.post([...all.values()], true);
        for (const s of all.values()) delivered.set(s.userCode, toDelivered(s));
      }
      return;
    }
    const delta = [...batch.states.values()].filter((s) => delivered.get(s.userCode)?.stateCode !== s.stateCode);
    const max = this.options.rta.maxBatchStates;
    for (let i = 0; i < delta.length; i += max) {
      const chunk = delta.slice(i, i + max);
      await this.post(chunk, false);
      // Recorded per chunk: a retry after a failure in a later chunk re-sends only what is still undelivered.
      for (const s of chunk) delivered.set(s.userCode, toDelivered(s));
    }
    metrics.gauge(ConsumerMetric.AgentsTracked, delivered.size);
  }

  private async post(states: readonly (AgentState | DeliveredState)[], isSnapshot: boolean): Promise<void> {
    const started = Date.now();
    await this.options.delivery.post({
      states: states.map((s) => ({ userCode: s.userCode, stateCode: s.stateCode })),
      isSnapshot,
    });
    this.options.metrics.timing(ConsumerMetric.PostLatency, Date.now() - started);
    this.options.metrics.count(ConsumerMetric.StatesPosted, states.length);
  }

  private recordFailure(error: unknown, attempt: number): void {
    this.failure ??= { since: Date.now(), error, attempts: 0 };
    this.failure.error = error;
    this.failure.attempts = attempt;
    this.options.metrics.count(ConsumerMetric.PostFailures);
    const fields = { attempt, retryable: isRetryable(error), error: errorMessage(error) };
    // A rejected key or source needs a person: say so every time, loudly. Transient failures: first and every 10th.
    if (!isRetryable(error))
      this.options.logger.error('WFM rejected the post; fix the configuration (key, source id)', fields);
    else if (attempt === 1 || attempt % 10 === 0) this.options.logger.warn('WFM delivery failed; retrying', fields);
  }
}

const toDelivered = (s: AgentState | DeliveredState): DeliveredState => ({
  userCode: s.userCode,
  stateCode: s.stateCode,
  agentArn: s.agentArn,
  eventTimeMillis: s.eventTimeMillis,
});
