import type { DeliveredState } from '../domain/agentState';

/** Keeps the newest state per user code (several shards' files or items may name the same agent after a reshard). */
export function mergeAgentStates(into: Map<string, DeliveredState>, states: Iterable<DeliveredState>): void {
  for (const s of states) {
    const known = into.get(s.userCode);
    if (!known || known.eventTimeMillis <= s.eventTimeMillis) into.set(s.userCode, s);
  }
}
