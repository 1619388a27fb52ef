import type { DeliveredState } from '../pipeline/types';

/**
 * Remembers what was last persisted per agent, so each commit writes only the agents whose state changed (the login
 * status and an unknown outcome count as changes: a restart needs them). Agents no longer delivered (evicted) are
 * forgotten here too.
 */
export class AgentStateJournal {
  private readonly saved = new Map<string, string>();

  constructor(initial: Iterable<DeliveredState> = []) {
    for (const s of initial) this.saved.set(s.userCode, key(s));
  }

  changes(delivered: Iterable<DeliveredState>): DeliveredState[] {
    const changed: DeliveredState[] = [];
    let count = 0;
    for (const s of delivered) {
      count++;
      if (this.saved.get(s.userCode) !== key(s)) changed.push(s);
    }
    if (this.saved.size > count + changed.length) this.prune(delivered);
    return changed;
  }

  markSaved(states: Iterable<DeliveredState>): void {
    for (const s of states) this.saved.set(s.userCode, key(s));
  }

  private prune(delivered: Iterable<DeliveredState>): void {
    const present = new Set<string>();
    for (const s of delivered) present.add(s.userCode);
    for (const userCode of this.saved.keys()) if (!present.has(userCode)) this.saved.delete(userCode);
  }
}

const key = (s: DeliveredState): string =>
  `${s.eventTimeMillis}|${s.stateCode}|${s.loggedOut === true ? 1 : 0}|${s.uncertain ?? ''}`;
