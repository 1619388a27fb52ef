import { Subject } from 'rxjs';
import type { RtaConfig } from '../../../common/config/rtaConfig';
import { NonRetryableError, errorMessage, isRetryable } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import { backoffMillis } from './backoff';
import { RtaUnknownUserCodeError } from './errors';
import { publicFailureReason } from './untrustedReply';
import { StateWindow } from '../domain/StateWindow';
import type { Acknowledgement, AgentState, DeliveredState } from '../domain/agentState';
import type { StateDelivery } from './types';

/** Builds a snapshot from outside truth (Amazon Connect) and the pipeline's delivered and pending states. */
export interface SnapshotComposer {
  compose(delivered: ReadonlyMap<string, DeliveredState>, pending: readonly CodedState[]): Map<string, Postable>;
  /** What the agents a snapshot leaves out now are in WFM (logged out). */
  leftOutStateCode: string;
}

export interface CoalescingDeliveryOptions {
  rta: Pick<RtaConfig, 'maxBatchStates' | 'retryBaseMillis' | 'retryMaxMillis' | 'unknownUserRetryMillis'>;
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
  /** User codes whose last post had an unknown outcome (their `delivered` entry carries `uncertain`). */
  private readonly uncertain = new Set<string>();
  /**
   * Delivered entries as restored at start. The process before may have posted states after its last save (read
   * again now, after the checkpoint): WFM may hold any code re-read since. An agent whose re-read states left the
   * restored code is `diverged` and its state is posted even if it is back at the restored code.
   */
  private readonly restored = new WeakSet<DeliveredState>();
  private readonly diverged = new Set<string>();
  /** Agents an older Teleopti has no person for: not posted again until their state changes or `retryAt`. */
  private readonly unknownUsers = new Map<string, { state: Postable; retryAt: number }>();
  private readonly sleep: (millis: number) => Promise<void>;

  constructor(private readonly options: CoalescingDeliveryOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    // Restored uncertain agents: the first post after a restart re-sends them.
    for (const d of options.delivered.values()) if (d.uncertain !== undefined) this.uncertain.add(d.userCode);
    for (const d of options.delivered.values()) this.restored.add(d);
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
      // Served on the unauthenticated /healthz: the status, never WFM's reply text.
      reason: `WFM delivery failing since ${new Date(this.failure.since).toISOString()}: ${publicFailureReason(this.failure.error)}`,
    };
  }

  /** Stops retrying; a pending failing delivery is abandoned (not acknowledged) at its next back-off. */
  stop(): void {
    this.stopped = true;
    this.notifyIdle();
  }

  private hasWork(): boolean {
    return this.snapshotRequested || !this.pending.isEmpty || this.uncertain.size > 0;
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
    const { delivered } = this.options;
    // Per username the newest state by event time: an older event (late, or of the username's previous holder)
    // never replaces what WFM was given.
    const current = [...batch.states.values()].filter(
      (s) => !((delivered.get(s.userCode)?.eventTimeMillis ?? -Infinity) > s.eventTimeMillis),
    );
    const coded = current.filter(hasCode);
    if (snapshot && this.snapshotComposer) {
      await this.deliverComposed(this.snapshotComposer, coded);
    } else if (snapshot) {
      const all = new Map<string, Postable>();
      // An unknown outcome's state is the newest known for the agent.
      for (const d of delivered.values())
        all.set(d.userCode, d.uncertain === undefined ? d : { ...d, stateCode: d.uncertain });
      for (const s of coded) all.set(s.userCode, s);
      for (const userCode of this.unknownUsers.keys()) all.delete(userCode);
      if (all.size > 0) await this.postIsolated([...all.values()], true);
    } else {
      const now = Date.now();
      const delta = new Map<string, Postable>();
      for (const s of coded) if (this.needsPost(s, now)) delta.set(s.userCode, s);
      // Unknown outcomes with no newer state: re-send the state of that post (the newest known for the agent).
      for (const userCode of this.uncertain) {
        const d = delivered.get(userCode);
        if (d && !delta.has(userCode) && !batch.states.has(userCode))
          delta.set(userCode, { ...d, stateCode: d.uncertain ?? d.stateCode });
      }
      // An agent unknown to WFM is retried on a slow timer (it may have been created since).
      for (const [userCode, u] of this.unknownUsers)
        if (u.retryAt <= now && !delta.has(userCode) && !batch.states.has(userCode)) delta.set(userCode, u.state);
      const list = [...delta.values()];
      const max = this.options.rta.maxBatchStates;
      // Recorded per chunk: a retry after a failure in a later chunk re-sends only what is still undelivered.
      for (let i = 0; i < list.length; i += max) await this.postIsolated(list.slice(i, i + max), false);
    }
    // States not posted (a code WFM already holds, or none): their position still moves on, so a restart ignores a
    // replayed older event instead of taking it for news.
    for (const s of current)
      if (s.stateCode === undefined || !this.unknownUsers.has(s.userCode)) this.recordPosition(s);
  }

  /** A snapshot of outside truth: posted even when empty; the agents it leaves out are logged out in WFM. */
  private async deliverComposed(composer: SnapshotComposer, pending: readonly CodedState[]): Promise<void> {
    const { delivered } = this.options;
    const all = composer.compose(delivered, pending);
    for (const userCode of this.unknownUsers.keys()) all.delete(userCode);
    if (all.size > 0) await this.postIsolated([...all.values()], true);
    else await this.post([], true);
    for (const d of delivered.values())
      if (!all.has(d.userCode))
        delivered.set(d.userCode, {
          ...d,
          stateCode: composer.leftOutStateCode,
          loggedOut: true,
          uncertain: undefined,
        });
    if (this.snapshotComposer === composer) this.snapshotComposer = undefined;
  }

  private needsPost(s: Postable, now: number): boolean {
    const unknown = this.unknownUsers.get(s.userCode);
    if (unknown) return unknown.state.stateCode !== s.stateCode || unknown.retryAt <= now;
    const d = this.options.delivered.get(s.userCode);
    return d === undefined || d.uncertain !== undefined || d.stateCode !== s.stateCode || this.diverged.has(s.userCode);
  }

  /**
   * Posts `states`; an older Teleopti's 400 naming an unknown user code drops that agent and re-posts the others
   * (they were applied, but the answer names only one unknown code: the re-post finds the next), so one unknown
   * agent never holds back the rest. An unknown outcome (timeout, reset, 5xx) marks every state of the request
   * uncertain before it is rethrown.
   */
  private async postIsolated(states: readonly Postable[], isSnapshot: boolean): Promise<void> {
    let remaining = states;
    while (remaining.length > 0) {
      try {
        await this.post(remaining, isSnapshot);
        this.recordDelivered(remaining);
        return;
      } catch (error) {
        if (error instanceof RtaUnknownUserCodeError) {
          const named = error.userCode.toLowerCase();
          const unknown = remaining.find((s) => s.userCode.toLowerCase() === named);
          // A code we did not send: not an agent problem, so it is treated as the configuration error it then is.
          if (!unknown) throw error;
          this.markUnknownUser(unknown);
          remaining = remaining.filter((s) => s !== unknown);
          continue;
        }
        if (isRetryable(error)) this.markUncertain(remaining);
        throw error;
      }
    }
  }

  private markUncertain(states: readonly Postable[]): void {
    const { delivered } = this.options;
    for (const s of states) {
      const d = delivered.get(s.userCode);
      const marked = { ...(d ?? toDelivered(s)), uncertain: s.stateCode };
      if (d && this.restored.has(d)) this.restored.add(marked);
      delivered.set(s.userCode, marked);
      this.uncertain.add(s.userCode);
    }
  }

  private markUnknownUser(s: Postable): void {
    const { logger, metrics, rta } = this.options;
    const first = !this.unknownUsers.has(s.userCode);
    this.unknownUsers.set(s.userCode, { state: s, retryAt: Date.now() + rta.unknownUserRetryMillis });
    this.uncertain.delete(s.userCode);
    if (!first) return;
    metrics.count(ConsumerMetric.UnknownUserCodes);
    logger.warn('WFM has no person for this user code; its state is retried when it changes', {
      userCode: s.userCode,
      retryAfterMillis: rta.unknownUserRetryMillis,
    });
  }

  private recordDelivered(states: readonly Postable[]): void {
    const { delivered } = this.options;
    const corrected: string[] = [];
    for (const s of states) {
      const before = delivered.get(s.userCode);
      // WFM may have held the code of a post with an unknown outcome; this post replaced it.
      if (before?.uncertain !== undefined && before.uncertain !== s.stateCode) corrected.push(s.userCode);
      delivered.set(s.userCode, toDelivered(s, before));
      this.uncertain.delete(s.userCode);
      this.unknownUsers.delete(s.userCode);
      this.diverged.delete(s.userCode);
    }
    if (corrected.length > 0) {
      this.options.metrics.count(ConsumerMetric.DriftCorrected, corrected.length);
      this.options.logger.warn('re-send changed agents WFM may have held in another state', {
        agents: corrected.length,
        userCodes: corrected.slice(0, 10),
      });
    }
  }

  /**
   * An acknowledged state that was not posted (no code, or the code WFM holds): the agent's login status and
   * ordering position are what a restart must restore.
   */
  private recordPosition(s: AgentState): void {
    const d = this.options.delivered.get(s.userCode);
    if (!d || d.agentArn !== s.agentArn || d.eventTimeMillis >= s.eventTimeMillis) return;
    if (s.stateCode !== undefined && s.stateCode !== d.stateCode) return;
    const moved = { ...d, loggedOut: s.loggedOut, eventTimeMillis: s.eventTimeMillis };
    if (this.restored.has(d)) this.restored.add(moved);
    this.options.delivered.set(s.userCode, moved);
  }

  /** Every state the pipeline derives, as it is read (before windows reduce it away). */
  observe(s: AgentState): void {
    const d = this.options.delivered.get(s.userCode);
    if (d && s.stateCode !== undefined && s.stateCode !== d.stateCode && this.restored.has(d))
      this.diverged.add(s.userCode);
  }

  /** Forgets agents evicted from memory (not seen for the configured time). */
  forget(userCodes: Iterable<string>): void {
    for (const userCode of userCodes) {
      this.options.delivered.delete(userCode);
      this.uncertain.delete(userCode);
      this.unknownUsers.delete(userCode);
      this.diverged.delete(userCode);
    }
  }

  private async post(states: readonly Postable[], isSnapshot: boolean): Promise<void> {
    // Stopped (lease lost, hard stop): not one more request, not even the next chunk of a delivery under way.
    if (this.stopped) throw new DeliveryStoppedError();
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

class DeliveryStoppedError extends NonRetryableError {
  constructor() {
    super('delivery stopped');
  }
}

/** A state that can be posted: one with a code, or a delivered one being re-sent. */
export type CodedState = Omit<AgentState, 'stateCode'> & { stateCode: string };
export type Postable = CodedState | DeliveredState;
const hasCode = (s: AgentState): s is CodedState => s.stateCode !== undefined;

const toDelivered = (s: Postable, before?: DeliveredState): DeliveredState => ({
  userCode: s.userCode,
  stateCode: s.stateCode,
  agentArn: s.agentArn,
  eventTimeMillis: s.eventTimeMillis,
  loggedOut: s.loggedOut ?? before?.loggedOut,
  sourceId: s.sourceId ?? before?.sourceId,
});
