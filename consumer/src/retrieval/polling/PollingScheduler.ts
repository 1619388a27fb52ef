import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisConfig } from '../../../../common/config/kinesisConfig';
import type { PipelineConfig } from '../../../../common/config/pipelineConfig';
import { errorMessage } from '../../../../common/errors';
import type { Logger } from '../../../../common/logging/logger';
import { ConsumerMetric } from '../../../../common/observability/metricNames';
import type { Metrics } from '../../../../common/observability/metrics';
import { isSequenceNumber } from '../../checkpoint/checkpointOrder';
import { SHARD_END, type ShardCheckpoint } from '../../checkpoint/types';
import type { AgentStatePipeline } from '../../pipeline/AgentStatePipeline';
import type { ProgressCommitter } from '../../processor/ProgressCommitter';
import type { ProcessRecordsInput, StartingPosition } from '../types';
import { ShardConsumer } from './ShardConsumer';
import { type ShardInfo, ShardLister, type StreamRef } from './ShardLister';

export interface PollingSchedulerOptions {
  client: KinesisClient;
  stream: StreamRef;
  kinesis: Pick<
    KinesisConfig,
    'pollIntervalMillis' | 'maxRecords' | 'initialLookbackMillis' | 'shardSyncIntervalMillis'
  >;
  pipeline: Pick<AgentStatePipeline, 'push' | 'reportLag' | 'isCatchingUp' | 'sendSnapshot'>;
  pipelineConfig: Pick<PipelineConfig, 'catchUpThresholdMillis'>;
  committer: ProgressCommitter;
  checkpoints: ReadonlyMap<string, ShardCheckpoint>;
  /** Read every shard from this time on, whatever its checkpoint: an Amazon Connect snapshot covers what is older. */
  startAt?: Date;
  logger: Logger;
  metrics: Metrics;
}

interface ShardState {
  info: ShardInfo;
  consumer?: ShardConsumer;
  done?: Promise<void>;
  /** Read to SHARD_END (in this process, or checkpointed so before). */
  ended: boolean;
}

/**
 * The direct mode's scheduler: one process reads every shard of the stream. It lists shards periodically and
 * starts one ShardConsumer per shard whose parents are read to SHARD_END (so each agent's events stay in order
 * across a split or merge). A shard starts after its checkpoint, or at now − KINESIS_INITIAL_LOOKBACK_MS on a first
 * start. While any shard is far behind the tip the pipeline posts nothing; when the last one catches up, one
 * snapshot carries every agent's current state. A shard waiting for its parents counts as behind, and a parent read
 * to its end keeps the gate shut until its children are known: otherwise the parent's hours-old states would go out
 * as current before the children (which hold the newer ones) are read.
 */
export class PollingScheduler {
  private readonly shards = new Map<string, ShardState>();
  private readonly lag = new Map<string, number>();
  /** Open shards not being read yet (waiting for their parents): behind until their first read says otherwise. */
  private readonly waiting = new Set<string>();
  /** Shards read to their end whose lag is released only once a listing shows their children (held as behind). */
  private readonly endedUnlisted = new Set<string>();
  /** A read reported a lag over the threshold since the last snapshot (a catch-up, not just a reshard hold). */
  private readBehind = false;
  private readonly abort = new AbortController();
  private readonly lister: ShardLister;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private startedAt = Date.now();

  constructor(private readonly options: PollingSchedulerOptions) {
    this.lister = new ShardLister(options.client, options.stream);
    for (const [shardId, c] of options.checkpoints)
      if (c.sequenceNumber === SHARD_END)
        this.shards.set(shardId, { info: { shardId, parentShardIds: [], closed: true }, ended: true });
  }

  async start(): Promise<void> {
    this.startedAt = Date.now();
    await this.sync();
    this.syncTimer = setInterval(() => void this.sync(), this.options.kinesis.shardSyncIntervalMillis);
  }

  /** Stops reading: aborts every GetRecords and waits for the readers to return. */
  async stop(): Promise<void> {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.abort.abort();
    await this.syncing;
    await Promise.all([...this.shards.values()].map((s) => s.done));
  }

  /** Ready when every open shard has a reader that read successfully in the last 30 s. */
  health(): { healthy: boolean; reason?: string; shards: Record<string, string> } {
    const shards: Record<string, string> = {};
    let healthy = this.shards.size > 0;
    const now = Date.now();
    for (const [id, s] of this.shards) {
      if (s.ended) shards[id] = 'ended';
      else if (!s.consumer) shards[id] = 'waiting for parent';
      else if (now - s.consumer.lastReadAt < 30000) shards[id] = 'reading';
      else {
        shards[id] = s.consumer.lastReadAt === 0 ? 'starting' : 'stalled';
        healthy = false;
      }
    }
    return healthy ? { healthy, shards } : { healthy, reason: 'not every shard is being read', shards };
  }

  get openShardCount(): number {
    return [...this.shards.values()].filter((s) => !s.ended).length;
  }

  private sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    if (this.abort.signal.aborted) return;
    let listed: ShardInfo[];
    try {
      listed = await this.lister.list();
    } catch (error) {
      this.options.logger.warn('ListShards failed; will retry', { error: errorMessage(error) });
      return;
    }
    const present = new Set(listed.map((s) => s.shardId));
    for (const info of listed) {
      const known = this.shards.get(info.shardId);
      if (known) known.info = { ...info, parentShardIds: info.parentShardIds };
      else this.shards.set(info.shardId, { info, ended: false });
    }
    for (const state of this.shards.values()) {
      if (state.ended || state.consumer || !present.has(state.info.shardId)) continue;
      // A parent gone from the listing was trimmed (older than the retention): nothing left to read there.
      const parentsDone = state.info.parentShardIds.every((p) => !present.has(p) || this.shards.get(p)?.ended === true);
      if (parentsDone) this.startShard(state);
      else this.markWaiting(state.info.shardId);
    }
    // This listing followed their end, so it names their children (now waiting or reading): release their lag.
    for (const shardId of this.endedUnlisted) {
      this.endedUnlisted.delete(shardId);
      this.reportLag(shardId, 0);
      this.lag.delete(shardId);
    }
    this.options.metrics.gauge(ConsumerMetric.OpenShardCount, this.openShardCount);
  }

  private startShard(state: ShardState): void {
    const { options } = this;
    const shardId = state.info.shardId;
    const checkpoint = options.committer.checkpointOf(shardId);
    const start: StartingPosition = options.startAt
      ? { type: 'AT_TIMESTAMP', timestamp: options.startAt }
      : isSequenceNumber(checkpoint)
        ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint }
        : { type: 'AT_TIMESTAMP', timestamp: new Date(this.startedAt - options.kinesis.initialLookbackMillis) };
    options.committer.track(shardId);
    // Behind until its first read says otherwise: at a first start, or a reshard's child, the gate must not open
    // on the other shards' lag alone (a snapshot follows only if some read was really behind).
    this.markWaiting(shardId);
    const consumer = new ShardConsumer({
      client: options.client,
      stream: options.stream,
      shardId,
      start,
      processRecords: (input) => this.processRecords(shardId, input),
      pollIntervalMillis: options.kinesis.pollIntervalMillis,
      maxRecords: options.kinesis.maxRecords,
      logger: options.logger,
      signal: this.abort.signal,
    });
    state.consumer = consumer;
    options.logger.info('reading shard', {
      shardId,
      from: start.type === 'AFTER_SEQUENCE_NUMBER' ? checkpoint : start.type,
      ...(start.type === 'AT_TIMESTAMP' ? { at: start.timestamp.toISOString() } : {}),
    });
    state.done = consumer.run().then(
      async (result) => {
        if (result.reason !== 'SHARD_END') return;
        state.ended = true;
        // Read to its end, the shard is as current as it gets, but its children are not: its lag is released by
        // the next successful listing, which names them (they count as behind until read).
        this.endedUnlisted.add(shardId);
        options.logger.info('shard read to its end', { shardId });
        void options.committer.shardEnded(shardId, result.lastSequenceNumber);
        await this.sync();
      },
      (error: unknown) =>
        options.logger.error('shard reader stopped unexpectedly', { shardId, error: errorMessage(error) }),
    );
  }

  private processRecords(shardId: string, input: ProcessRecordsInput): void {
    const { pipeline, pipelineConfig, kinesis } = this.options;
    let lag = input.millisBehindLatest;
    // MillisBehindLatest describes the last record returned; a full read means more is waiting, so the reader is
    // not at the tip yet whatever that record's age (at the tip a shard cannot fill a read: 1,000 writes/s/shard).
    if (lag !== null && input.records.length >= kinesis.maxRecords)
      lag = Math.max(lag, pipelineConfig.catchUpThresholdMillis + 1);
    // Behind: gate before pushing (nothing of this read may go out as current). Caught up: push first, so the
    // snapshot that opens the gate carries this read's states too.
    const behind = lag !== null && lag > pipelineConfig.catchUpThresholdMillis;
    if (behind) this.reportLag(shardId, lag as number);
    for (const r of input.records) pipeline.push({ sourceId: shardId, sequenceNumber: r.sequenceNumber, data: r.data });
    if (lag !== null && !behind) this.reportLag(shardId, lag);
  }

  private markWaiting(shardId: string): void {
    if (this.waiting.has(shardId)) return;
    this.waiting.add(shardId);
    this.options.pipeline.reportLag(shardId, this.options.pipelineConfig.catchUpThresholdMillis + 1);
  }

  private reportLag(shardId: string, lag: number): void {
    const { pipeline, pipelineConfig, metrics } = this.options;
    this.waiting.delete(shardId);
    this.lag.set(shardId, lag);
    if (lag > pipelineConfig.catchUpThresholdMillis) this.readBehind = true;
    metrics.gauge(ConsumerMetric.MillisBehindLatest, Math.max(...this.lag.values()));
    // The last shard to catch up: ask for a snapshot before the gate opens, so the held-back states go out as
    // one IsSnapshot request (agents never seen stay logged out) instead of a delta.
    const caughtUp =
      this.waiting.size === 0 &&
      this.endedUnlisted.size === 0 &&
      [...this.lag.values()].every((l) => l <= pipelineConfig.catchUpThresholdMillis);
    // Only after reading far behind: a gate held just while a reshard's children start needs no snapshot.
    if (pipeline.isCatchingUp() && caughtUp && this.readBehind) {
      this.readBehind = false;
      void pipeline.sendSnapshot();
    }
    pipeline.reportLag(shardId, lag);
  }
}
