import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisConfig } from '../../../../common/config/kinesisConfig';
import { errorMessage } from '../../../../common/errors';
import type { Logger } from '../../../../common/logging/logger';
import { ConsumerMetric } from '../../../../common/observability/metricNames';
import type { Metrics } from '../../../../common/observability/metrics';
import { isSequenceNumber } from '../../checkpoint/checkpointOrder';
import { SHARD_END, type ShardCheckpoint } from '../../checkpoint/types';
import type { StoreCheckpointer } from '../../checkpoint/StoreCheckpointer';
import type { AllShardsCatchUpGate } from '../../processor/CatchUpGate';
import type { ShardRecordProcessor, StartingPosition } from '../types';
import { KinesisDataFetcher } from './KinesisDataFetcher';
import { ShardConsumer } from './ShardConsumer';
import { type ShardInfo, ShardLister, type StreamRef } from './ShardLister';

export interface PollingSchedulerOptions {
  client: KinesisClient;
  stream: StreamRef;
  kinesis: Pick<
    KinesisConfig,
    'pollIntervalMillis' | 'maxRecords' | 'initialLookbackMillis' | 'shardSyncIntervalMillis'
  >;
  /** The catch-up gate across every shard (the shards' processors report their lag to it). */
  gate: Pick<AllShardsCatchUpGate, 'markWaiting' | 'readToEnd' | 'shardsListed'>;
  /** Each shard is read after its checkpoint, and its processor checkpoints through it. */
  checkpointer: Pick<StoreCheckpointer, 'checkpointOf' | 'forShard'>;
  /** The checkpoints the store held at start: shards at SHARD_END are not read again. */
  checkpoints: ReadonlyMap<string, ShardCheckpoint>;
  /** The record processor of a shard about to be read. */
  createProcessor: (shardId: string) => ShardRecordProcessor;
  /** Read every shard from this time on, whatever its checkpoint: an Amazon Connect snapshot covers what is older. */
  startAt?: Date;
  logger: Logger;
  metrics: Metrics;
}

interface ShardState {
  info: ShardInfo;
  fetcher?: KinesisDataFetcher;
  done?: Promise<void>;
  /** Read to SHARD_END (in this process, or checkpointed so before). */
  ended: boolean;
}

/**
 * The direct mode's scheduler: one process reads every shard of the stream. It lists shards periodically and
 * starts one ShardConsumer (data fetcher + record processor) per shard whose parents are read to SHARD_END (so each
 * agent's events stay in order across a split or merge). A shard starts after its checkpoint, or at
 * now − KINESIS_INITIAL_LOOKBACK_MS on a first start. A shard waiting for its parents counts as behind at the
 * catch-up gate, and a parent read to its end holds the gate until a listing names its children.
 */
export class PollingScheduler {
  private readonly shards = new Map<string, ShardState>();
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

  /** Stops reading: aborts every GetRecords and waits for each shard's shutdownRequested (deliver, checkpoint). */
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
      else if (!s.fetcher) shards[id] = 'waiting for parent';
      else if (now - s.fetcher.lastReadAt < 30000) shards[id] = 'reading';
      else {
        shards[id] = s.fetcher.lastReadAt === 0 ? 'starting' : 'stalled';
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
      if (state.ended || state.fetcher || !present.has(state.info.shardId)) continue;
      // A parent gone from the listing was trimmed (older than the retention): nothing left to read there.
      const parentsDone = state.info.parentShardIds.every((p) => !present.has(p) || this.shards.get(p)?.ended === true);
      if (parentsDone) this.startShard(state);
      else this.options.gate.markWaiting(state.info.shardId);
    }
    this.options.gate.shardsListed();
    this.options.metrics.gauge(ConsumerMetric.OpenShardCount, this.openShardCount);
  }

  private startShard(state: ShardState): void {
    const { options } = this;
    const shardId = state.info.shardId;
    const checkpoint = options.checkpointer.checkpointOf(shardId);
    const start: StartingPosition = options.startAt
      ? { type: 'AT_TIMESTAMP', timestamp: options.startAt }
      : isSequenceNumber(checkpoint)
        ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint }
        : { type: 'AT_TIMESTAMP', timestamp: new Date(this.startedAt - options.kinesis.initialLookbackMillis) };
    // Behind until its first read says otherwise: at a first start, or a reshard's child, the gate must not open
    // on the other shards' lag alone (a snapshot follows only if some read was really behind).
    options.gate.markWaiting(shardId);
    const fetcher = new KinesisDataFetcher({
      client: options.client,
      stream: options.stream,
      shardId,
      start,
      pollIntervalMillis: options.kinesis.pollIntervalMillis,
      maxRecords: options.kinesis.maxRecords,
      logger: options.logger,
      signal: this.abort.signal,
    });
    state.fetcher = fetcher;
    options.logger.info('reading shard', {
      shardId,
      from: start.type === 'AFTER_SEQUENCE_NUMBER' ? checkpoint : start.type,
      ...(start.type === 'AT_TIMESTAMP' ? { at: start.timestamp.toISOString() } : {}),
    });
    const consumer = new ShardConsumer({
      fetcher,
      processor: options.createProcessor(shardId),
      checkpointer: options.checkpointer.forShard(shardId),
      checkpoint,
      onReadToEnd: () => {
        state.ended = true;
        // Read to its end, the shard is as current as it gets, but its children are not: its lag is released by
        // the next successful listing, which names them (they count as behind until read).
        options.gate.readToEnd(shardId);
        options.logger.info('shard read to its end', { shardId });
        void this.sync();
      },
    });
    state.done = consumer.run().then(
      () => undefined,
      (error: unknown) =>
        options.logger.error('shard reader stopped unexpectedly', { shardId, error: errorMessage(error) }),
    );
  }
}
