/** One agent as WFM holds it, with when that state began (as seen by the receiver). */
export interface BoardAgent {
  userCode: string;
  stateCode: string;
  sinceMillis: number;
  /** How many times WFM saw this agent's state change. */
  changes: number;
}

/**
 * The board's model: what the receiver holds per agent, plus since when. Fed with the receiver's current states after
 * every accepted batch, it notices changes itself (a snapshot can log out agents it does not name).
 */
export class AgentBoard {
  private readonly agents = new Map<string, BoardAgent>();

  update(current: ReadonlyMap<string, string>, atMillis: number): void {
    for (const [userCode, stateCode] of current) {
      const known = this.agents.get(userCode);
      if (!known) this.agents.set(userCode, { userCode, stateCode, sinceMillis: atMillis, changes: 0 });
      else if (known.stateCode !== stateCode) {
        known.stateCode = stateCode;
        known.sinceMillis = atMillis;
        known.changes++;
      }
    }
  }

  list(): BoardAgent[] {
    return [...this.agents.values()].sort((a, b) => a.userCode.localeCompare(b.userCode)).map((a) => ({ ...a }));
  }
}
