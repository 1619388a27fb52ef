import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import type { AgentStatePipeline } from '../pipeline/AgentStatePipeline';

/**
 * Where a shard's record processor reports how far behind the tip it reads. While any shard is further behind than
 * the threshold the pipeline posts nothing. A KCL child's pipeline sees one shard and is its own gate; direct mode
 * reads every shard into one pipeline and gates them together (AllShardsCatchUpGate).
 */
export interface CatchUpGate {
  reportLag(shardId: string, millisBehindLatest: number): void;
}

export interface AllShardsCatchUpGateOptions {
  pipeline: Pick<AgentStatePipeline, 'reportLag' | 'isCatchingUp' | 'sendSnapshot'>;
  catchUpThresholdMillis: number;
  metrics: Metrics;
}

/**
 * Direct mode's gate across shards. A shard waiting for its parents counts as behind, and a parent read to its end
 * keeps the gate shut until a listing shows its children: otherwise the parent's hours-old states would go out as
 * current before the children (which hold the newer ones) are read. When the last shard catches up after reading far
 * behind, one snapshot carries every agent's current state. Publishes MillisBehindLatest as the maximum over shards.
 */
export class AllShardsCatchUpGate implements CatchUpGate {
  private readonly lag = new Map<string, number>();
  /** Open shards not being read yet (waiting for their parents): behind until their first read says otherwise. */
  private readonly waiting = new Set<string>();
  /** Shards read to their end whose lag is released only once a listing shows their children (held as behind). */
  private readonly endedUnlisted = new Set<string>();
  /** Read to their end: their processors' reports no longer count. */
  private readonly ended = new Set<string>();
  /** A read reported a lag over the threshold since the last snapshot (a catch-up, not just a reshard hold). */
  private readBehind = false;

  constructor(private readonly options: AllShardsCatchUpGateOptions) {}

  reportLag(shardId: string, millisBehindLatest: number): void {
    if (!this.ended.has(shardId)) this.update(shardId, millisBehindLatest);
  }

  /** Behind until its first read says otherwise (a shard waiting for its parents, or one just started). */
  markWaiting(shardId: string): void {
    if (this.waiting.has(shardId)) return;
    this.waiting.add(shardId);
    this.options.pipeline.reportLag(shardId, this.options.catchUpThresholdMillis + 1);
  }

  /** Read to its end: as current as it gets, but its children are not; released by `shardsListed`. */
  readToEnd(shardId: string): void {
    this.ended.add(shardId);
    this.endedUnlisted.add(shardId);
  }

  /** A listing that followed their end names their children (now waiting or reading): release their lag. */
  shardsListed(): void {
    for (const shardId of this.endedUnlisted) {
      this.endedUnlisted.delete(shardId);
      this.update(shardId, 0);
      this.lag.delete(shardId);
    }
  }

  private update(shardId: string, lag: number): void {
    const { pipeline, catchUpThresholdMillis, metrics } = this.options;
    this.waiting.delete(shardId);
    this.lag.set(shardId, lag);
    if (lag > catchUpThresholdMillis) this.readBehind = true;
    metrics.gauge(ConsumerMetric.MillisBehindLatest, Math.max(...this.lag.values()));
    // The last shard to catch up: ask for a snapshot before the gate opens, so the held-back states go out as
    // one IsSnapshot request (agents never seen stay logged out) instead of a delta.
    const caughtUp =
      this.waiting.size === 0 &&
      this.endedUnlisted.size === 0 &&
      [...this.lag.values()].every((l) => l <= catchUpThresholdMillis);
    // Only after reading far behind: a gate held just while a reshard's children start needs no snapshot.
    if (pipeline.isCatchingUp() && caughtUp && this.readBehind) {
      this.readBehind = false;
      void pipeline.sendSnapshot();
    }
    pipeline.reportLag(shardId, lag);
  }
}
