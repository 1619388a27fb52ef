import type { DeliveredState } from '../domain/agentState';

/**
 * Remembers what was last persisted per agent, so each commit writes only the agents whose state changed (the login
 * status and an unknown outcome count as changes: a restart needs them). Agents no longer delivered (evicted) are
 * forgotten here too.
 */
export class AgentStateJournal {
  /** The state as last saved (the same object as the delivered one while it is unchanged: no copy per agent). */
  private readonly saved = new Map<string, DeliveredState>();

  constructor(initial: Iterable<DeliveredState> = []) {
    for (const s of initial) this.saved.set(s.userCode, s);
  }

  changes(delivered: Iterable<DeliveredState>): DeliveredState[] {
    const changed: DeliveredState[] = [];
    let count = 0;
    for (const s of delivered) {
      count++;
      const saved = this.saved.get(s.userCode);
      if (saved !== s && (saved === undefined || !same(saved, s))) changed.push(s);
    }
    if (this.saved.size > count + changed.length) this.prune(delivered);
    return changed;
  }

  markSaved(states: Iterable<DeliveredState>): void {
    for (const s of states) this.saved.set(s.userCode, s);
  }

  private prune(delivered: Iterable<DeliveredState>): void {
    const present = new Set<string>();
    for (const s of delivered) present.add(s.userCode);
    for (const userCode of this.saved.keys()) if (!present.has(userCode)) this.saved.delete(userCode);
  }
}

const same = (a: DeliveredState, b: DeliveredState): boolean =>
  a.eventTimeMillis === b.eventTimeMillis &&
  a.stateCode === b.stateCode &&
  (a.loggedOut === true) === (b.loggedOut === true) &&
  a.uncertain === b.uncertain;
