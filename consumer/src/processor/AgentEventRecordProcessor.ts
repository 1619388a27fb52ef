import { RetryableError } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import { advances } from '../checkpoint/checkpointOrder';
import { CheckpointError, type RecordProcessorCheckpointer } from '../checkpoint/RecordProcessorCheckpointer';
import type { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import { compareSequenceNumbers } from '../domain/sequenceNumbers';
import type { ProcessRecordsInput, ShardRecordProcessor } from '../retrieval/types';
import type { AgentStateSaver } from './AgentStateSaver';
import type { CatchUpGate } from './CatchUpGate';

/** The part of the pipeline a shard's record processor uses (AgentStatePipeline in production). */
export type ShardPipeline = Pick<
  AgentStatePipeline,
  'push' | 'flush' | 'acknowledged' | 'acknowledgements$' | 'dropSource' | 'shutdown' | 'abort'
>;

export interface AgentEventRecordProcessorOptions {
  shardId: string;
  pipeline: ShardPipeline;
  /**
   * True when the pipeline and the saver serve this shard alone (a KCL child): the processor ends them with the
   * shard. Direct mode shares both across its shards, and its runtime ends them.
   */
  ownsPipeline: boolean;
  /** Where the shard's lag goes: the pipeline itself (KCL child) or the gate across all shards (direct mode). */
  catchUp: CatchUpGate;
  /** Agent states are persisted here before every checkpoint (a checkpoint never runs ahead of them). */
  saver: AgentStateSaver;
  logger: Logger;
  /** Per-shard lag and checkpoint age (KCL: each child publishes its own; direct mode publishes them over all shards). */
  shardMetrics?: Metrics;
  /** Bound on waiting for WFM during shutdownRequested (the daemon's shutdown grace is 30 s). */
  shutdownFlushMillis: number;
  catchUpThresholdMillis: number;
  /** A batch this full means more is waiting: the shard counts as behind whatever its lag (KCL maxRecords). */
  maxRecords?: number;
  /** Direct mode's stop: a shardEnded still waiting for WFM gives up (the shard is re-read from its checkpoint). */
  signal?: AbortSignal;
  sleep?: (millis: number) => Promise<void>;
}

const CHECKPOINT_ATTEMPTS = 4;
const SHARD_END_ATTEMPTS = 10;
/** Saving the agent states before SHARD_END: about 6 s of attempts, then the child fails (the shard is re-read). */
const SHARD_END_SAVE_ATTEMPTS = 6;

/**
 * One shard's record processor, with KCL's lifecycle, in both modes (the MultiLang child adapts the protocol to it;
 * direct mode's ShardConsumer calls it): records → pipeline; checkpoints only what WFM acknowledged.
 * - processRecords pushes and returns promptly; the checkpoint trails the acknowledgements by about one window.
 * - shardEnded: flush, wait until everything read from the shard is acknowledged, save the agent states, then
 *   checkpoint SHARD_END (`null`), since the children wait for it; if the states cannot be saved it fails instead
 *   (the child shard's owner must start from them, so the shard is re-read after a restart).
 * - shutdownRequested: flush (bounded), checkpoint what was acknowledged.
 * - leaseLost (or a checkpoint refused with ShutdownException): nothing more of this shard is posted, not even the
 *   open window (the new owner re-reads it), and nothing is checkpointed.
 */
export class AgentEventRecordProcessor implements ShardRecordProcessor {
  private lastCheckpoint: string | undefined;
  /** The last record handed to the pipeline: SHARD_END waits until WFM acknowledged it. */
  private lastRead: string | undefined;
  private leaseGone = false;
  private checkpointedAt = Date.now();
  /** The daemon calls processRecords even for empty reads, so this shows that the shard is being read. */
  lastBatchAt = Date.now();
  private readonly sleep: (millis: number) => Promise<void>;
  private readonly abandoned = new AbortController();

  constructor(private readonly options: AgentEventRecordProcessorOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** `sequenceNumber`: the lease checkpoint (a number, a sentinel, or null). */
  initialize(sequenceNumber: string | null): void {
    this.lastCheckpoint = sequenceNumber ?? undefined;
    this.options.logger.info('shard initialized', { checkpoint: sequenceNumber });
  }

  async processRecords(input: ProcessRecordsInput, checkpointer: RecordProcessorCheckpointer): Promise<void> {
    const { pipeline, shardId, shardMetrics, catchUp, catchUpThresholdMillis, maxRecords = 10000 } = this.options;
    this.lastBatchAt = Date.now();
    if (this.leaseGone) return;
    // MillisBehindLatest describes the last record returned; a full read means more is waiting, so the reader is
    // not at the tip yet whatever that record's age (at the tip a shard cannot fill a read: 1,000 writes/s/shard).
    let lag = input.millisBehindLatest;
    if (lag !== null && input.records.length >= maxRecords) lag = Math.max(lag, catchUpThresholdMillis + 1);
    if (input.millisBehindLatest !== null && shardMetrics) {
      // Per shard for the dashboard; without dimensions for the lag alarm (its Maximum spans every child's value).
      shardMetrics.gauge(ConsumerMetric.MillisBehindLatest, input.millisBehindLatest, { ShardId: shardId });
      shardMetrics.gauge(ConsumerMetric.MillisBehindLatest, input.millisBehindLatest);
    }
    // Behind: gate before pushing (nothing of this read may go out as current). Caught up: push first, so a snapshot
    // that opens the gate carries this read's states too.
    const behind = lag !== null && lag > catchUpThresholdMillis;
    if (behind) catchUp.reportLag(shardId, lag as number);
    for (const r of input.records) pipeline.push({ sourceId: shardId, sequenceNumber: r.sequenceNumber, data: r.data });
    if (lag !== null && !behind) catchUp.reportLag(shardId, lag);
    const last = input.records.at(-1);
    if (last) this.lastRead = last.sequenceNumber;
    await this.checkpointAcknowledged(checkpointer, CHECKPOINT_ATTEMPTS);
    shardMetrics?.gauge(ConsumerMetric.CheckpointAgeSeconds, Math.round((Date.now() - this.checkpointedAt) / 1000), {
      ShardId: shardId,
    });
  }

  async shardEnded(checkpointer: RecordProcessorCheckpointer): Promise<void> {
    const { pipeline, shardId, logger } = this.options;
    // Nothing further will come from this shard: its states are as current as they get, so let them through.
    this.options.catchUp.reportLag(shardId, 0);
    await pipeline.flush();
    if (!(await this.allReadAcknowledged())) {
      logger.info('stopped before WFM acknowledged the shard to its end; it will be re-read from its checkpoint');
      await this.shutdownRequested(checkpointer);
      return;
    }
    let saved = await this.options.saver.save();
    for (let attempt = 1; !saved && attempt < SHARD_END_SAVE_ATTEMPTS; attempt++) {
      await this.sleep(Math.min(5000, 100 * 2 ** attempt));
      saved = await this.options.saver.save();
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
    if (this.options.ownsPipeline) {
      this.options.saver.stop();
      await pipeline.shutdown();
    }
  }

  async shutdownRequested(checkpointer: RecordProcessorCheckpointer): Promise<void> {
    const { pipeline, logger, shutdownFlushMillis } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const flushed = await Promise.race([
      pipeline.flush().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), shutdownFlushMillis))),
    ]).finally(() => clearTimeout(timer));
    if (!flushed)
      logger.warn('WFM did not acknowledge everything before the shutdown grace; checkpointing what it did');
    await this.checkpointAcknowledged(checkpointer, CHECKPOINT_ATTEMPTS);
  }

  /**
   * Resolves once the states already delivered are persisted: the daemon hands the shard to its next owner when
   * this returns, and that owner must find them (or it re-posts what WFM has).
   */
  async leaseLost(): Promise<void> {
    const { pipeline, saver, shardId, ownsPipeline } = this.options;
    this.options.logger.info('lease lost; dropping pending work without checkpointing');
    this.leaseGone = true;
    pipeline.dropSource(shardId);
    if (ownsPipeline) {
      pipeline.abort();
      saver.stop();
    }
    await saver.settled();
  }

  /** stdin closed without a terminal action (the daemon is gone): stop, checkpoint nothing. */
  abandon(): void {
    this.abandoned.abort();
    if (this.options.ownsPipeline) this.options.pipeline.abort();
  }

  private async checkpointAcknowledged(checkpointer: RecordProcessorCheckpointer, attempts: number): Promise<void> {
    if (this.leaseGone) return;
    const acknowledged = this.options.pipeline.acknowledged(this.options.shardId);
    if (acknowledged === undefined || !advances(this.lastCheckpoint, acknowledged)) return;
    if (!(await this.options.saver.save())) return;
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
          logger.warn(
            'checkpoint still failing (throttled, or the store unavailable); will retry with the next batch',
            {
              error: error.message,
            },
          );
          return;
        }
        await this.sleep(100 * 2 ** attempt);
      }
    }
  }

  /**
   * True once WFM acknowledged everything read from the shard (at once when nothing was read); false when direct
   * mode stops or the daemon goes away first.
   */
  private allReadAcknowledged(): Promise<boolean> {
    const { pipeline, shardId, signal } = this.options;
    const covered = (): boolean => {
      const acknowledged = pipeline.acknowledged(shardId);
      return (
        this.lastRead === undefined ||
        (acknowledged !== undefined && compareSequenceNumbers(acknowledged, this.lastRead) >= 0)
      );
    };
    if (covered()) return Promise.resolve(true);
    const signals = [this.abandoned.signal, ...(signal ? [signal] : [])];
    return new Promise((resolve) => {
      const done = (result: boolean): void => {
        subscription.unsubscribe();
        for (const s of signals) s.removeEventListener('abort', stop);
        resolve(result);
      };
      const stop = (): void => done(false);
      const subscription = pipeline.acknowledgements$.subscribe((a) => {
        if (a.sourceId === shardId && covered()) done(true);
      });
      for (const s of signals) s.addEventListener('abort', stop, { once: true });
      if (signals.some((s) => s.aborted)) done(false);
    });
  }
}
