import type { Subscription } from 'rxjs';
import { RetryableError } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import { AgentStateJournal } from '../checkpoint/AgentStateJournal';
import { advances } from '../checkpoint/checkpointOrder';
import { CheckpointError, type RecordProcessorCheckpointer } from '../checkpoint/RecordProcessorCheckpointer';
import type { ProgressStore } from '../checkpoint/types';
import type { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import type { DeliveredState } from '../domain/agentState';
import type { ProcessRecordsInput } from '../retrieval/types';

/** The part of the pipeline a shard's record processor uses (AgentStatePipeline in production). */
export type ShardPipeline = Pick<
  AgentStatePipeline,
  | 'push'
  | 'reportLag'
  | 'flush'
  | 'acknowledged'
  | 'acknowledgements$'
  | 'dropSource'
  | 'deliveredStates'
  | 'shutdown'
  | 'abort'
>;

export interface AgentEventRecordProcessorOptions {
  shardId: string;
  pipeline: ShardPipeline;
  /** Agent states are persisted here before every checkpoint (a checkpoint never runs ahead of them). */
  store: ProgressStore;
  initialDelivered: readonly DeliveredState[];
  logger: Logger;
  metrics: Metrics;
  /** Bound on waiting for WFM during shutdownRequested (the daemon's shutdown grace is 30 s). */
  shutdownFlushMillis: number;
  /** A batch this full means more is waiting: the shard counts as behind whatever its lag (KCL maxRecords). */
  maxRecords?: number;
  catchUpThresholdMillis?: number;
  sleep?: (millis: number) => Promise<void>;
}

const CHECKPOINT_ATTEMPTS = 4;
const SHARD_END_ATTEMPTS = 10;
/** Saving the agent states before SHARD_END: about 6 s of attempts, then the child fails (the shard is re-read). */
const SHARD_END_SAVE_ATTEMPTS = 6;

/**
 * One shard's record processor in KCL mode: records → pipeline; checkpoints only what WFM acknowledged.
 * - processRecords pushes and returns promptly; the checkpoint trails the acknowledgements by about one window.
 * - shardEnded: flush, wait for delivery, save the agent states, then checkpoint SHARD_END (`null`), since the
 *   children wait for it; if the states cannot be saved it fails instead (the child shard's owner must start from
 *   them, so the shard is re-read after a restart).
 * - shutdownRequested: flush (bounded), checkpoint what was acknowledged.
 * - leaseLost (or a checkpoint refused with ShutdownException): nothing more of this shard is posted, not even the
 *   open window (the new owner re-reads it), and nothing is checkpointed.
 */
export class AgentEventRecordProcessor {
  private lastCheckpoint: string | undefined;
  private readonly journal: AgentStateJournal;
  private leaseGone = false;
  private checkpointedAt = Date.now();
  /** The daemon calls processRecords even for empty reads, so this shows that the shard is being read. */
  lastBatchAt = Date.now();
  private readonly sleep: (millis: number) => Promise<void>;
  private persistChain: Promise<boolean> = Promise.resolve(true);
  private readonly subscription: Subscription;

  constructor(private readonly options: AgentEventRecordProcessorOptions) {
    this.journal = new AgentStateJournal(options.initialDelivered);
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    // Persist after every delivery, not only at checkpoints: whoever reads this shard next (after a lease loss or
    // a crash) then re-posts nothing WFM already has.
    this.subscription = options.pipeline.acknowledgements$.subscribe(() => void this.persistAgentStates());
  }

  /** `sequenceNumber`: the lease checkpoint (a number, a sentinel, or null). */
  initialize(sequenceNumber: string | null): void {
    this.lastCheckpoint = sequenceNumber ?? undefined;
    this.options.logger.info('shard initialized', { checkpoint: sequenceNumber });
  }

  async processRecords(input: ProcessRecordsInput, checkpointer: RecordProcessorCheckpointer): Promise<void> {
    const { pipeline, shardId, metrics } = this.options;
    this.lastBatchAt = Date.now();
    // Lag first: a batch from far behind the tip must be gated before its states can be posted.
    let lag = input.millisBehindLatest;
    const { maxRecords = 10000, catchUpThresholdMillis } = this.options;
    if (lag !== null && catchUpThresholdMillis !== undefined && input.records.length >= maxRecords)
      lag = Math.max(lag, catchUpThresholdMillis + 1);
    if (this.leaseGone) return;
    pipeline.reportLag(shardId, lag);
    if (input.millisBehindLatest !== null) {
      // Per shard for the dashboard; without dimensions for the lag alarm (its Maximum spans every child's value).
      metrics.gauge(ConsumerMetric.MillisBehindLatest, input.millisBehindLatest, { ShardId: shardId });
      metrics.gauge(ConsumerMetric.MillisBehindLatest, input.millisBehindLatest);
    }
    for (const r of input.records) pipeline.push({ sourceId: shardId, sequenceNumber: r.sequenceNumber, data: r.data });
    await this.checkpointAcknowledged(checkpointer, CHECKPOINT_ATTEMPTS);
    metrics.gauge(ConsumerMetric.CheckpointAgeSeconds, Math.round((Date.now() - this.checkpointedAt) / 1000), {
      ShardId: shardId,
    });
  }

  async shardEnded(checkpointer: RecordProcessorCheckpointer): Promise<void> {
    const { pipeline, shardId, logger } = this.options;
    // Nothing further will come from this shard: its states are as current as they get, so let them through.
    pipeline.reportLag(shardId, 0);
    await pipeline.flush();
    let saved = await this.persistAgentStates();
    for (let attempt = 1; !saved && attempt < SHARD_END_SAVE_ATTEMPTS; attempt++) {
      await this.sleep(Math.min(5000, 100 * 2 ** attempt));
      saved = await this.persistAgentStates();
    }
    if (!saved)
      throw new RetryableError(
        'agent states could not be saved; SHARD_END not checkpointed, the shard will be re-read',
      );
    // SHARD_END is written as `null` (the largest permitted value), never by re-sending the last sequence number (KCL #211).
    for (let attempt = 1; ; attempt++) {
      try {
        await checkpointer.checkpoint(null);
        this.lastCheckpoint = 'SHARD_END';
        logger.info('shard ended; checkpointed SHARD_END');
        break;
      } catch (error) {
        if (!(error instanceof CheckpointError) || !error.retryable || attempt >= SHARD_END_ATTEMPTS) {
          logger.error('could not checkpoint SHARD_END', { error: String(error), attempt });
          break;
        }
        await this.sleep(Math.min(5000, 100 * 2 ** attempt));
      }
    }
    await pipeline.shutdown();
  }

  async shutdownRequested(checkpointer: RecordProcessorCheckpointer): Promise<void> {
    const { pipeline, logger, shutdownFlushMillis } = this.options;
    const flushed = await Promise.race([
      pipeline.flush().then(() => true),
      this.sleep(shutdownFlushMillis).then(() => false),
    ]);
    if (!flushed)
      logger.warn('WFM did not acknowledge everything before the shutdown grace; checkpointing what it did');
    await this.checkpointAcknowledged(checkpointer, CHECKPOINT_ATTEMPTS);
  }

  /**
   * Resolves once the states already delivered are persisted: the daemon hands the shard to its next owner when
   * this returns, and that owner must find them (or it re-posts what WFM has).
   */
  async leaseLost(): Promise<void> {
    this.options.logger.info('lease lost; dropping pending work without checkpointing');
    this.leaseGone = true;
    this.options.pipeline.dropSource(this.options.shardId);
    this.options.pipeline.abort();
    this.subscription.unsubscribe();
    await this.persistChain;
  }

  /** stdin closed without a terminal action (the daemon is gone): stop, checkpoint nothing. */
  abandon(): void {
    this.options.pipeline.abort();
  }

  private async checkpointAcknowledged(checkpointer: RecordProcessorCheckpointer, attempts: number): Promise<void> {
    if (this.leaseGone) return;
    const acknowledged = this.options.pipeline.acknowledged(this.options.shardId);
    if (acknowledged === undefined || !advances(this.lastCheckpoint, acknowledged)) return;
    if (!(await this.persistAgentStates())) return;
    const { logger } = this.options;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await checkpointer.checkpoint(acknowledged);
        this.lastCheckpoint = acknowledged;
        this.checkpointedAt = Date.now();
        return;
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw error;
        if (error.leaseGone) {
          logger.warn('checkpoint refused: this worker no longer holds the lease; stopping', {
            sequenceNumber: acknowledged,
          });
          this.leaseGone = true;
          this.options.pipeline.dropSource(this.options.shardId);
          return;
        }
        if (!error.retryable) {
          // Out of range or no checkpointer: retrying the same value cannot help; the next batch tries a newer one.
          logger.error('checkpoint refused', { sequenceNumber: acknowledged, exception: error.exceptionName });
          return;
        }
        if (attempt === attempts) {
          logger.warn('checkpoint still throttled; will retry with the next batch', { exception: error.exceptionName });
          return;
        }
        await this.sleep(100 * 2 ** attempt);
      }
    }
  }

  /**
   * Writes the agents whose delivered state changed, one write at a time (a later write finds only what is new). False (logged) when the store failed: then no checkpoint.
   */
  private persistAgentStates(): Promise<boolean> {
    const next = this.persistChain.then(() => this.writeChangedStates());
    this.persistChain = next;
    return next;
  }

  private async writeChangedStates(): Promise<boolean> {
    const changed = this.journal.changes(this.options.pipeline.deliveredStates());
    if (changed.length === 0) return true;
    try {
      await this.options.store.commit({ agentStates: changed, checkpoints: [] });
      this.journal.markSaved(changed);
      return true;
    } catch (error) {
      this.options.logger.warn('could not persist agent states; checkpoint postponed', { error: String(error) });
      return false;
    }
  }
}
