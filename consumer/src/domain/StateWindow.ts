import { compareSequenceNumbers, maxSequenceNumber } from './sequenceNumbers';
import type { AgentState } from './agentState';

/** What one record contributed: always its position (so it can be acknowledged), a state only if it produced one. */
export interface Observation {
  sourceId: string;
  sequenceNumber: string;
  state?: AgentState;
}

/**
 * True when `candidate` replaces `current` for the same user code: a newer EventTimestamp wins, whichever agent holds
 * the username now (usernames move between agents); on a tie the higher sequence number of the same shard wins, and
 * across shards the later arrival.
 */
export function supersedes(candidate: AgentState, current: AgentState): boolean {
  if (candidate.eventTimeMillis !== current.eventTimeMillis) return candidate.eventTimeMillis > current.eventTimeMillis;
  if (candidate.sourceId !== current.sourceId) return true;
  return compareSequenceNumbers(candidate.sequenceNumber, current.sequenceNumber) > 0;
}

/**
 * The reduction of one or more windows: the newest state per user code (by event time, see `supersedes`), and per
 * source the highest sequence number seen. Merging a newer window lets the newer state of each agent win, which is
 * how an outage coalesces. A newer event that names no state code (a LOGIN with null snapshots) keeps the code of
 * the state it follows for the same agent, so that code is still delivered.
 */
export class StateWindow {
  readonly states = new Map<string, AgentState>();
  readonly sequenceNumbers = new Map<string, string>();

  add(observation: Observation): this {
    if (observation.state) this.put(observation.state);
    this.sequenceNumbers.set(
      observation.sourceId,
      maxSequenceNumber(this.sequenceNumbers.get(observation.sourceId), observation.sequenceNumber),
    );
    return this;
  }

  merge(newer: StateWindow): this {
    for (const state of newer.states.values()) this.put(state);
    for (const [sourceId, seq] of newer.sequenceNumbers)
      this.sequenceNumbers.set(sourceId, maxSequenceNumber(this.sequenceNumbers.get(sourceId), seq));
    return this;
  }

  /** Forget a source's contribution (its lease was lost: the next owner re-reads those records). */
  dropSource(sourceId: string): void {
    this.sequenceNumbers.delete(sourceId);
    for (const [userCode, state] of this.states) if (state.sourceId === sourceId) this.states.delete(userCode);
  }

  private put(state: AgentState): void {
    const current = this.states.get(state.userCode);
    if (current && !supersedes(state, current)) return;
    const keepCode = state.stateCode === undefined && current?.agentArn === state.agentArn;
    this.states.set(state.userCode, keepCode ? { ...state, stateCode: current.stateCode } : state);
  }

  get isEmpty(): boolean {
    return this.states.size === 0 && this.sequenceNumbers.size === 0;
  }
}
