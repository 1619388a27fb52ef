import type { ShardCheckpoint } from '../../checkpoint/types';
import type { StoreCheckpointer } from '../../checkpoint/StoreCheckpointer';
import type { AgentStatePipeline } from '../../pipeline/AgentStatePipeline';
import type { DeliveredState } from '../../domain/agentState';
import type { AgentEventRecordProcessor } from '../../processor/AgentEventRecordProcessor';
import type { AgentStateSaver } from '../../processor/AgentStateSaver';
import type { AllShardsCatchUpGate } from '../../processor/CatchUpGate';

/** What the checkpoint store held at start. */
export interface RestoredProgress {
  checkpoints: ReadonlyMap<string, ShardCheckpoint>;
  initialDelivered: readonly DeliveredState[];
}

/**
 * What direct mode builds once the store was read (the composition root's run container, ioc/directContainer.ts):
 * one pipeline, one agent-state saver, one catch-up gate and one checkpointer shared by every shard's processor.
 */
export interface DirectRun {
  pipeline: AgentStatePipeline;
  saver: AgentStateSaver;
  gate: AllShardsCatchUpGate;
  checkpointer: StoreCheckpointer;
  /** One shard's record processor (a shard container under the run's container). */
  createProcessor(shardId: string): AgentEventRecordProcessor;
  /** Aborted when the runtime stops: a shard waiting at its end for WFM gives up (it is re-read next start). */
  shutdown: AbortController;
}
