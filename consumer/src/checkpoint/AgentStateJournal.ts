import type { DeliveredState } from '../pipeline/types';

/** Remembers what was last persisted per agent, so each commit writes only the agents whose state changed. */
export class AgentStateJournal {
  private readonly saved = new Map<string, string>();

  constructor(initial: Iterable<DeliveredState> = []) {
    for (const s of initial) this.saved.set(s.userCode, key(s));
  }

  changes(delivered: Iterable<DeliveredState>): DeliveredState[] {
    const changed: DeliveredState[] = [];
    for (const s of delivered) if (this.saved.get(s.userCode) !== key(s)) changed.push(s);
    return changed;
  }

  markSaved(states: Iterable<DeliveredState>): void {
    for (const s of states) this.saved.set(s.userCode, key(s));
  }
}

const key = (s: DeliveredState): string => `${s.eventTimeMillis}|${s.stateCode}`;
