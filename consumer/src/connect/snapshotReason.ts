import type { ShardCheckpoint } from '../checkpoint/types';
import type { DeliveredState } from '../domain/agentState';

export type SnapshotReason = 'first start' | 'nothing delivered yet' | 'beyond retention';

export interface SnapshotReasonInput {
  checkpoints: ReadonlyMap<string, ShardCheckpoint>;
  agentStates: readonly DeliveredState[];
  /** The stream's retention period. */
  retentionMillis: number;
  nowMillis: number;
}

/**
 * Why a start needs Connect's snapshot, or undefined when the checkpoints can be trusted. Beyond retention: the
 * newest state ever delivered comes from an event older than the stream keeps, so what followed it may be trimmed
 * (a quiet stretch can trigger it too; a snapshot more than needed is harmless, a missed outage is not).
 */
export function snapshotReason(input: SnapshotReasonInput): SnapshotReason | undefined {
  if (input.checkpoints.size === 0 && input.agentStates.length === 0) return 'first start';
  if (input.agentStates.length === 0) return 'nothing delivered yet';
  let newest = -Infinity;
  for (const s of input.agentStates) newest = Math.max(newest, s.eventTimeMillis);
  return newest < input.nowMillis - input.retentionMillis ? 'beyond retention' : undefined;
}
