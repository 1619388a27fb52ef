import { maxSequenceNumber } from './sequenceNumbers';
import type { AgentState } from './types';

/** What one record contributed: always its position (so it can be acknowledged), a state only if it produced one. */
export interface Observation {
  sourceId: string;
  sequenceNumber: string;
  state?: AgentState;
}

/**
 * The reduction of one or more windows: the newest state per user code, and per source the highest sequence number
 * seen. Merging a newer window lets the newer state of each agent win, which is how an outage coalesces.
 */
export class StateWindow {
  readonly states = new Map<string, AgentState>();
  readonly sequenceNumbers = new Map<string, string>();

  add(observation: Observation): this {
    if (observation.state) this.states.set(observation.state.userCode, observation.state);
    this.sequenceNumbers.set(
      observation.sourceId,
      maxSequenceNumber(this.sequenceNumbers.get(observation.sourceId), observation.sequenceNumber),
    );
    return this;
  }

  merge(newer: StateWindow): this {
    for (const [userCode, state] of newer.states) this.states.set(userCode, state);
    for (const [sourceId, seq] of newer.sequenceNumbers)
      this.sequenceNumbers.set(sourceId, maxSequenceNumber(this.sequenceNumbers.get(sourceId), seq));
    return this;
  }

  /** Forget a source's contribution (its lease was lost: the next owner re-reads those records). */
  dropSource(sourceId: string): void {
    this.sequenceNumbers.delete(sourceId);
    for (const [userCode, state] of this.states) if (state.sourceId === sourceId) this.states.delete(userCode);
  }

  get isEmpty(): boolean {
    return this.states.size === 0 && this.sequenceNumbers.size === 0;
  }
}
