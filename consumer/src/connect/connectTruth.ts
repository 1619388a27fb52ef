import type { CodedState, Postable, SnapshotComposer } from '../delivery/CoalescingDelivery';
import type { DeliveredState } from '../domain/agentState';
import { CONNECT_SOURCE } from '../domain/agentState';

/**
 * Connect's truth at `takenAtMillis` as one IsSnapshot request: every agent Connect reports, except where the stream
 * already delivered (or is about to deliver) a state from an event at or after that time, which wins. An agent only
 * the stream knows about is kept only if its state is that recent; everyone else is left out, so WFM logs them out.
 */
export function connectSnapshotComposer(
  truth: readonly CodedState[],
  takenAtMillis: number,
  loggedOutStateCode: string,
): SnapshotComposer {
  return {
    leftOutStateCode: loggedOutStateCode,
    compose(delivered, pending) {
      const all = new Map<string, Postable>(truth.map((s) => [s.userCode, s]));
      // An unknown outcome's code is the newest known for the agent.
      for (const d of delivered.values())
        if (d.eventTimeMillis >= takenAtMillis) all.set(d.userCode, { ...d, stateCode: d.uncertain ?? d.stateCode });
      for (const s of pending) if (s.eventTimeMillis >= takenAtMillis) all.set(s.userCode, s);
      return all;
    },
  };
}

export interface Correction {
  state: CodedState;
  /** What WFM was last sent (undefined: nothing). */
  was: string | undefined;
}

/**
 * Reconciliation: the agents whose last-sent state differs from Connect's at `takenAtMillis`, skipping every agent
 * whose newest applied stream event is at or after that time (the stream is newer: no regression). An agent WFM
 * holds as logged in whom Connect no longer reports is corrected to the logged-out code.
 */
export function connectCorrections(
  truth: readonly CodedState[],
  takenAtMillis: number,
  delivered: ReadonlyMap<string, DeliveredState>,
  lastEventTimeOf: (agentArn: string) => number | undefined,
  loggedOutStateCode: string,
): Correction[] {
  const streamIsNewer = (agentArn: string): boolean => (lastEventTimeOf(agentArn) ?? -Infinity) > takenAtMillis;
  const corrections: Correction[] = [];
  const reported = new Set<string>();
  for (const s of truth) {
    reported.add(s.userCode);
    if (streamIsNewer(s.agentArn)) continue;
    const was = delivered.get(s.userCode)?.stateCode;
    if (was !== s.stateCode) corrections.push({ state: s, was });
  }
  for (const d of delivered.values()) {
    if (reported.has(d.userCode) || d.stateCode === loggedOutStateCode || streamIsNewer(d.agentArn)) continue;
    corrections.push({
      state: {
        userCode: d.userCode,
        stateCode: loggedOutStateCode,
        loggedOut: true,
        agentArn: d.agentArn,
        eventTimeMillis: takenAtMillis,
        sourceId: CONNECT_SOURCE,
        sequenceNumber: '0',
      },
      was: d.stateCode,
    });
  }
  return corrections;
}
