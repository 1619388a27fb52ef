import { type Observable, type SchedulerLike, Subject, type Subscription, asyncScheduler, interval, merge } from 'rxjs';
import type { PipelineConfig } from '../../../common/config/pipelineConfig';
import type { RtaConfig } from '../../../common/config/rtaConfig';
import type { Logger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import { AgentTracker } from '../domain/AgentTracker';
import { decodeAgentEvent } from '../domain/decodeAgentEvent';
import { deriveStateCode, usernameOf } from '../domain/deriveStateCode';
import { userCodeProblem } from '../domain/userCode';
import { type Correction, connectCorrections, connectSnapshotComposer } from '../connect/connectTruth';
import { CoalescingDelivery, type CodedState } from '../delivery/CoalescingDelivery';
import { reduceWindows } from '../domain/reduceWindows';
import { type Observation, StateWindow } from '../domain/StateWindow';
import type { Acknowledgement, AgentState, DeliveredState, SourceRecord } from '../domain/agentState';
import type { StateDelivery } from '../delivery/types';

export interface AgentStatePipelineOptions {
  rta: RtaConfig;
  /** `agentEvictAfterMillis` defaults to 7 days. */
  pipeline: Pick<PipelineConfig, 'windowMillis' | 'catchUpThresholdMillis'> &
    Partial<Pick<PipelineConfig, 'agentEvictAfterMillis'>>;
  delivery: StateDelivery;
  logger: Logger;
  metrics: Metrics;
  /** Restored from the store: a restart posts nothing already delivered and ignores older replayed events. */
  initialDelivered?: Iterable<DeliveredState>;
  scheduler?: SchedulerLike;
  /** Injected in tests to make back-off instant. */
  sleep?: (millis: number) => Promise<void>;
  /** How many recent EventIds are remembered to drop repeats (default RECENT_EVENT_IDS). */
  recentEventIds?: number;
  /** Injected in tests: the wall clock eviction measures idleness with. */
  now?: () => number;
}

/** Agents not seen for this long are forgotten unless configured otherwise. */
export const DEFAULT_AGENT_EVICT_AFTER_MILLIS = 7 * 24 * 3600 * 1000;

/**
 * Agent events in, Teleopti states out. Every runtime (KCL record processor, direct shard reader, replay) pushes
 * records here and checkpoints only up to `acknowledged(sourceId)`.
 *
 *   push → decode → newer-than-last? (per agent) → state code → window (RTA_WINDOW_MS) → latest per agent
 *        → diff against last delivered → CoalescingDelivery (one request in flight) → acknowledgements$
 */
export class AgentStatePipeline {
  private readonly observation$ = new Subject<Observation>();
  private readonly flush$ = new Subject<void>();
  private readonly tracker: AgentTracker;
  private readonly delivered = new Map<string, DeliveredState>();
  private readonly lagMillis = new Map<string, number>();
  private readonly sender: CoalescingDelivery;
  private readonly subscription: Subscription;
  private readonly completed: Promise<void>;
  private readonly snapshotTimer: NodeJS.Timeout | undefined;
  private recordsSinceWindow = 0;
  private malformedSinceWindow = 0;
  /** Sources whose lease is gone: nothing more of theirs is posted or acknowledged. */
  private readonly droppedSources = new Set<string>();
  /** Agents whose username Teleopti cannot store, logged once each (forgotten on eviction). */
  private readonly invalidUserAgents = new Set<string>();
  private readonly now: () => number;
  private readonly evictAfterMillis: number;
  private lastEvictionAt: number;

  constructor(private readonly options: AgentStatePipelineOptions) {
    this.now = options.now ?? Date.now;
    this.evictAfterMillis = options.pipeline.agentEvictAfterMillis ?? DEFAULT_AGENT_EVICT_AFTER_MILLIS;
    this.lastEvictionAt = this.now();
    this.tracker = new AgentTracker(options.recentEventIds, this.now);
    for (const s of options.initialDelivered ?? []) this.delivered.set(s.userCode, s);
    this.tracker.restore(this.delivered.values(), options.rta.loggedOutStateCode);
    this.sender = new CoalescingDelivery({
      rta: options.rta,
      delivery: options.delivery,
      delivered: this.delivered,
      isGated: () => this.isCatchingUp(),
      logger: options.logger,
      metrics: options.metrics,
      sleep: options.sleep,
    });
    const closing$ = merge(interval(options.pipeline.windowMillis, options.scheduler ?? asyncScheduler), this.flush$);
    let complete!: () => void;
    this.completed = new Promise((resolve) => (complete = resolve));
    this.subscription = this.observation$.pipe(reduceWindows(closing$)).subscribe({
      next: (window) => {
        for (const sourceId of this.droppedSources) window.dropSource(sourceId);
        this.evictIdleAgents();
        this.publishCounters();
        if (!window.isEmpty) this.sender.enqueue(window);
      },
      complete: () => complete(),
    });
    if (options.rta.snapshotIntervalMillis > 0) {
      this.snapshotTimer = setInterval(() => void this.sendSnapshot(), options.rta.snapshotIntervalMillis);
      this.snapshotTimer.unref();
    }
  }

  get acknowledgements$(): Observable<Acknowledgement> {
    return this.sender.acknowledgements$;
  }

  /** The hot path: never throws, never blocks. A bad record is logged, counted and still acknowledged in order. */
  push(record: SourceRecord): void {
    if (this.droppedSources.has(record.sourceId)) return;
    this.recordsSinceWindow++;
    const decoded = decodeAgentEvent(record.data);
    if (!decoded.ok) {
      this.malformedSinceWindow++;
      this.options.logger.warn('skipping malformed agent event', {
        sourceId: record.sourceId,
        sequenceNumber: record.sequenceNumber,
        reason: decoded.reason,
      });
      this.observation$.next({ sourceId: record.sourceId, sequenceNumber: record.sequenceNumber });
      return;
    }
    const { event, eventTimeMillis } = decoded;
    const tracked = this.tracker.track({
      eventType: event.EventType,
      agentArn: event.AgentARN,
      eventId: event.EventId,
      eventTimeMillis,
      username: usernameOf(event),
      sourceId: record.sourceId,
      sequenceNumber: record.sequenceNumber,
    });
    const apply = tracked.kind === 'apply' && this.isStorable(tracked.userCode, event.AgentARN) ? tracked : undefined;
    const state: AgentState | undefined = apply && {
      userCode: apply.userCode,
      // Undefined for an event that names no state (LOGIN with null snapshots): its login status still counts.
      stateCode: apply.loggedOut ? this.options.rta.loggedOutStateCode : deriveStateCode(event, this.options.rta),
      loggedOut: apply.loggedOut,
      agentArn: apply.agentArn,
      eventTimeMillis,
      sourceId: record.sourceId,
      sequenceNumber: record.sequenceNumber,
    };
    if (state) this.sender.observe(state);
    this.observation$.next({ sourceId: record.sourceId, sequenceNumber: record.sequenceNumber, state });
  }

  /** A username Teleopti cannot store would be refused (older versions: for the whole batch): counted, logged once. */
  private isStorable(userCode: string, agentArn: string): boolean {
    const problem = userCodeProblem(userCode);
    if (problem === undefined) return true;
    if (!this.invalidUserAgents.has(agentArn)) {
      this.invalidUserAgents.add(agentArn);
      this.options.metrics.count(ConsumerMetric.InvalidUserCodes);
      this.options.logger.warn('agent skipped: Teleopti cannot store its username as a user code', {
        agentArn,
        problem,
      });
    }
    return false;
  }

  /** Forgets agents not seen for the configured time (checked at most every tenth of it). */
  private evictIdleAgents(): void {
    const now = this.now();
    if (now - this.lastEvictionAt < this.evictAfterMillis / 10) return;
    this.lastEvictionAt = now;
    const evicted = this.tracker.evictIdle(now - this.evictAfterMillis);
    if (evicted.length === 0) return;
    const userCodes: string[] = [];
    for (const { agentArn, username } of evicted) {
      this.invalidUserAgents.delete(agentArn);
      if (username !== undefined && this.delivered.get(username)?.agentArn === agentArn) userCodes.push(username);
    }
    this.sender.forget(userCodes);
    this.options.metrics.count(ConsumerMetric.AgentsEvicted, evicted.length);
    this.options.logger.info('forgot agents not seen recently', {
      agents: evicted.length,
      idleHours: Math.round(this.evictAfterMillis / 3600000),
    });
  }

  /** A reader's distance from the tip. While any source is further behind than the threshold, nothing is posted. */
  reportLag(sourceId: string, millisBehindLatest: number | null | undefined): void {
    if (millisBehindLatest === null || millisBehindLatest === undefined) return;
    const wasCatchingUp = this.isCatchingUp();
    this.lagMillis.set(sourceId, millisBehindLatest);
    if (wasCatchingUp && !this.isCatchingUp()) {
      this.options.logger.info('caught up with the stream; delivering current states');
      this.sender.kick();
    }
  }

  isCatchingUp(): boolean {
    for (const lag of this.lagMillis.values()) if (lag > this.options.pipeline.catchUpThresholdMillis) return true;
    return false;
  }

  /** Closes the current window now; resolves once everything pushed before is delivered (or held by catch-up). */
  flush(): Promise<void> {
    this.flush$.next();
    return this.sender.whenIdle();
  }

  acknowledged(sourceId: string): string | undefined {
    return this.sender.acknowledgedFor(sourceId);
  }

  /**
   * The source's lease is gone: nothing it contributed is posted or acknowledged from now on, including the open
   * window (it is not flushed: posting it would race the new owner, who re-reads those records).
   */
  dropSource(sourceId: string): void {
    this.droppedSources.add(sourceId);
    this.sender.dropSource(sourceId);
    this.lagMillis.delete(sourceId);
  }

  /** One IsSnapshot request with every known agent, after the current window; skipped while nothing is known. */
  sendSnapshot(): Promise<void> {
    this.flush$.next();
    this.sender.requestSnapshot();
    return this.sender.whenIdle();
  }

  /**
   * Amazon Connect's states at `takenAtMillis` (first start, outage beyond retention): seeds each agent's ordering
   * with that time and posts one IsSnapshot request of Connect's truth, where a newer stream state still wins.
   */
  postConnectSnapshot(truth: readonly CodedState[], takenAtMillis: number): Promise<void> {
    // The current window goes first: its older states must not follow (and overwrite) the snapshot.
    this.flush$.next();
    for (const s of truth) this.tracker.seed(s.agentArn, s.userCode, takenAtMillis);
    this.sender.requestSnapshot(connectSnapshotComposer(truth, takenAtMillis, this.options.rta.loggedOutStateCode));
    return this.sender.whenIdle();
  }

  /**
   * Reconciliation: compares Connect's states at `takenAtMillis` with what WFM was last sent and posts only the
   * differences (never over a newer stream state). Resolves with the corrections once they are delivered.
   */
  async reconcileWithConnect(truth: readonly CodedState[], takenAtMillis: number): Promise<Correction[]> {
    await this.flush();
    const { loggedOutStateCode } = this.options.rta;
    const corrections = connectCorrections(
      truth,
      takenAtMillis,
      this.delivered,
      (arn) => this.tracker.lastEventTimeOf(arn),
      loggedOutStateCode,
    );
    for (const s of truth) this.tracker.seed(s.agentArn, s.userCode, takenAtMillis);
    if (corrections.length === 0) return corrections;
    const window = new StateWindow();
    for (const c of corrections) window.states.set(c.state.userCode, c.state);
    this.sender.enqueue(window);
    await this.sender.whenIdle();
    return corrections;
  }

  deliveredStates(): DeliveredState[] {
    return [...this.delivered.values()];
  }

  get agentsTracked(): number {
    return this.tracker.size;
  }

  health(): { healthy: boolean; rejected?: boolean; reason?: string } {
    return this.sender.health();
  }

  /** Completes the input, delivers the last window, then stops timers. Idempotent. */
  async shutdown(): Promise<void> {
    this.observation$.complete();
    await this.completed;
    await this.sender.whenIdle();
    this.sender.stop();
    this.subscription.unsubscribe();
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
  }

  /** Abandons pending deliveries without acknowledging them (lease lost, hard stop). */
  abort(): void {
    this.sender.stop();
    this.subscription.unsubscribe();
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
  }

  private publishCounters(): void {
    const { metrics } = this.options;
    metrics.count(ConsumerMetric.RecordsProcessed, this.recordsSinceWindow);
    if (this.malformedSinceWindow > 0) metrics.count(ConsumerMetric.MalformedRecords, this.malformedSinceWindow);
    metrics.gauge(ConsumerMetric.AgentsTracked, this.tracker.size);
    this.recordsSinceWindow = 0;
    this.malformedSinceWindow = 0;
  }
}
