import type { Subscription } from 'rxjs';
import { errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import { AgentStateJournal } from '../checkpoint/AgentStateJournal';
import { advances } from '../checkpoint/checkpointOrder';
import { type ProgressStore, SHARD_END, type ShardCheckpoint } from '../checkpoint/types';
import type { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import { compareSequenceNumbers } from '../domain/sequenceNumbers';
import type { DeliveredState } from '../domain/agentState';

export interface ProgressCommitterOptions {
  pipeline: Pick<AgentStatePipeline, 'acknowledged' | 'acknowledgements$' | 'deliveredStates'>;
  store: ProgressStore;
  checkpoints: ReadonlyMap<string, ShardCheckpoint>;
  initialDelivered: readonly DeliveredState[];
  logger: Logger;
  metrics: Metrics;
}

/**
 * Direct mode's checkpointer: after WFM acknowledged a window, persists the changed agent states and then
 * advances each shard's checkpoint to what was acknowledged. A shard read to its end gets SHARD_END only once
 * everything read from it is acknowledged. One commit at a time; acknowledgements during a commit are folded
 * into the next one.
 */
export class ProgressCommitter {
  private readonly journal: AgentStateJournal;
  private readonly committed = new Map<string, string>();
  private readonly ended = new Map<string, string | undefined>();
  private running: Promise<void> | undefined;
  private again = false;
  private committedAt = Date.now();
  private readonly subscription: Subscription;
  private readonly knownShards = new Set<string>();

  constructor(private readonly options: ProgressCommitterOptions) {
    this.journal = new AgentStateJournal(options.initialDelivered);
    for (const [shardId, c] of options.checkpoints) this.committed.set(shardId, c.sequenceNumber);
    this.subscription = options.pipeline.acknowledgements$.subscribe(() => void this.commit());
  }

  /** The shard was read to its end; `lastSequenceNumber` is the last record handed to the pipeline (if any). */
  shardEnded(shardId: string, lastSequenceNumber: string | undefined): Promise<void> {
    this.ended.set(shardId, lastSequenceNumber);
    return this.commit();
  }

  checkpointOf(shardId: string): string | undefined {
    return this.committed.get(shardId);
  }

  get checkpointAgeSeconds(): number {
    return Math.round((Date.now() - this.committedAt) / 1000);
  }

  /** Commits now (or right after the running commit); resolves when done. Never rejects: failures are logged. */
  commit(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.commitOnce();
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  stop(): void {
    this.subscription.unsubscribe();
  }

  private async commitOnce(): Promise<void> {
    const { pipeline, store, logger, metrics } = this.options;
    const agentStates = this.journal.changes(pipeline.deliveredStates());
    const checkpoints: { shardId: string; sequenceNumber: string }[] = [];
    const shards = new Set([...this.ended.keys(), ...this.committed.keys()]);
    for (const shardId of [...shards, ...this.acknowledgedShards()]) {
      if (checkpoints.some((c) => c.shardId === shardId)) continue;
      const acked = pipeline.acknowledged(shardId);
      const target = this.ended.has(shardId) && this.fullyAcknowledged(shardId, acked) ? SHARD_END : acked;
      if (target !== undefined && advances(this.committed.get(shardId), target))
        checkpoints.push({ shardId, sequenceNumber: target });
    }
    if (agentStates.length === 0 && checkpoints.length === 0) return;
    try {
      await store.commit({ agentStates, checkpoints });
      this.journal.markSaved(agentStates);
      for (const c of checkpoints) this.committed.set(c.shardId, c.sequenceNumber);
      if (checkpoints.length > 0) this.committedAt = Date.now();
      for (const c of checkpoints.filter((c) => c.sequenceNumber === SHARD_END))
        logger.info('shard finished: checkpointed SHARD_END', { shardId: c.shardId });
    } catch (error) {
      logger.warn('could not persist progress; will retry with the next acknowledgement', {
        error: errorMessage(error),
      });
    }
    metrics.gauge(ConsumerMetric.CheckpointAgeSeconds, this.checkpointAgeSeconds);
  }

  private fullyAcknowledged(shardId: string, acked: string | undefined): boolean {
    const last = this.ended.get(shardId);
    if (last === undefined) return true;
    return acked !== undefined && compareSequenceNumbers(acked, last) >= 0;
  }

  /** Shards being read (readers register them via `track`). */
  private acknowledgedShards(): string[] {
    return [...this.knownShards];
  }

  /** A shard being read: its acknowledgements become checkpoints. */
  track(shardId: string): void {
    this.knownShards.add(shardId);
  }
}
