import type { DeliveredState } from '../domain/agentState';

/** KCL's sentinel for a shard read to its end: its children may be read. */
export const SHARD_END = 'SHARD_END';

/** A stored position: a sequence number (records up to and including it are done) or SHARD_END. */
export interface ShardCheckpoint {
  shardId: string;
  sequenceNumber: string;
  subSequenceNumber: number;
}

/** What one commit persists: agent states are written before checkpoints, so a checkpoint never runs ahead. */
export interface CheckpointCommit {
  /** Agents whose delivered state changed since the last commit. */
  agentStates: readonly DeliveredState[];
  checkpoints: readonly { shardId: string; sequenceNumber: string }[];
}

/**
 * Checkpoints and the last delivered agent states. One interface, two implementations: DynamoDB (KCL lease-table
 * layout plus an agent-state table) and an embedded local file (atomic write + rename under STATE_DIR).
 * Checkpoints only ever advance; an attempt to move one back is ignored (it is a late, stale write).
 */
export interface CheckpointStore {
  /** Creates what the store needs (table, directory) if missing. */
  prepare(): Promise<void>;
  loadCheckpoints(): Promise<Map<string, ShardCheckpoint>>;
  loadAgentStates(): Promise<DeliveredState[]>;
  commit(commit: CheckpointCommit): Promise<void>;
}
