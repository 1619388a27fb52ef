import { errorMessage } from '../../../common/errors';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import { advances } from './checkpointOrder';
import { CheckpointError, type RecordProcessorCheckpointer } from './RecordProcessorCheckpointer';
import { type CheckpointStore, SHARD_END, type ShardCheckpoint } from './types';

export interface StoreCheckpointerOptions {
  store: CheckpointStore;
  /** The checkpoints the store held at start. */
  checkpoints: ReadonlyMap<string, ShardCheckpoint>;
  metrics: Metrics;
}

/**
 * Direct mode's checkpointers: what KCL's lease table does for the MultiLang children, done here on the checkpoint
 * store. Each shard's checkpointer writes that shard's checkpoint (`null` = SHARD_END); a store failure is a
 * retryable CheckpointError (KCL's KinesisClientLibDependencyException), so the record processor treats both modes
 * alike. It also remembers the checkpoints, which the scheduler starts each shard after.
 */
export class StoreCheckpointer {
  private readonly committed = new Map<string, string>();
  private committedAt = Date.now();

  constructor(private readonly options: StoreCheckpointerOptions) {
    for (const [shardId, c] of options.checkpoints) this.committed.set(shardId, c.sequenceNumber);
  }

  checkpointOf(shardId: string): string | undefined {
    return this.committed.get(shardId);
  }

  get checkpointAgeSeconds(): number {
    return Math.round((Date.now() - this.committedAt) / 1000);
  }

  forShard(shardId: string): RecordProcessorCheckpointer {
    return { checkpoint: (sequenceNumber) => this.checkpoint(shardId, sequenceNumber) };
  }

  private async checkpoint(shardId: string, sequenceNumber: string | null): Promise<void> {
    const target = sequenceNumber ?? SHARD_END;
    if (!advances(this.committed.get(shardId), target)) return;
    try {
      await this.options.store.commit({ agentStates: [], checkpoints: [{ shardId, sequenceNumber: target }] });
      this.committed.set(shardId, target);
      this.committedAt = Date.now();
    } catch (error) {
      throw new CheckpointError('KinesisClientLibDependencyException', sequenceNumber, errorMessage(error));
    } finally {
      this.options.metrics.gauge(ConsumerMetric.CheckpointAgeSeconds, this.checkpointAgeSeconds);
    }
  }
}
