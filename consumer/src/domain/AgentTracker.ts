import { compareSequenceNumbers } from './sequenceNumbers';
import type { DeliveredState } from './agentState';
import { AgentEventType } from './agentEvent';

interface AgentPosition {
  /** The map's key: one string per agent. */
  agentArn: string;
  username: string | undefined;
  /** Set by LOGOUT; only LOGIN or STATE_CHANGE clears it (heartbeats go on for an hour after logout). */
  loggedOut: boolean;
  sourceId: string;
  sequenceNumber: string;
  eventTimeMillis: number;
  /** Wall-clock time the agent was last seen (eviction). */
  seenAt: number;
}

/** One agent event as the tracker orders it. */
export interface TrackedEvent {
  eventType: string;
  agentArn: string;
  eventId: string;
  eventTimeMillis: number;
  /** Absent on LOGOUT and on events with null snapshots: the last known one is kept. */
  username: string | undefined;
  /** The shard (or replay file) it was read from, and its position there. */
  sourceId: string;
  sequenceNumber: string;
}

export type TrackResult =
  /** `agentArn` and `userCode` are the tracker's own strings: the same ones for every event of an agent. */
  | { kind: 'apply'; agentArn: string; userCode: string; loggedOut: boolean }
  /** Applied for ordering, but no username is known yet for this agent (e.g. LOGIN with null snapshots). */
  | { kind: 'no-username' }
  | { kind: 'duplicate' }
  | { kind: 'stale' };

/** Not a shard: a position seeded from Amazon Connect compares by event time with every shard. */
const SEEDED_SOURCE = '(connect)';

/** Remembers this many recent EventIds (two generations of half the size each: O(1), bounded memory). */
export const RECENT_EVENT_IDS = 100_000;

/**
 * Decides, per agent, whether an event is newer than the last one applied, and keeps each agent's username
 * (LOGOUT and null snapshots carry none). Newer means a later EventTimestamp, within a shard too (a late duplicate
 * with a new sequence number never replaces a newer state); on equal timestamps, a higher sequence number within the
 * same shard, and the later arrival across shards (after resharding) and restarts. A repeated EventId is ignored.
 */
export class AgentTracker {
  private readonly agents = new Map<string, AgentPosition>();
  private recentIds = new Set<string>();
  private olderIds = new Set<string>();

  constructor(
    private readonly recentEventIdCapacity = RECENT_EVENT_IDS,
    private readonly now: () => number = Date.now,
  ) {}

  track(event: TrackedEvent): TrackResult {
    const { eventType, agentArn, eventId, eventTimeMillis, username, sourceId, sequenceNumber } = event;
    if (this.recentIds.has(eventId) || this.olderIds.has(eventId)) return { kind: 'duplicate' };
    const last = this.agents.get(agentArn);
    if (last) {
      last.seenAt = this.now();
      const newer =
        eventTimeMillis !== last.eventTimeMillis
          ? eventTimeMillis > last.eventTimeMillis
          : last.sourceId !== sourceId || compareSequenceNumbers(sequenceNumber, last.sequenceNumber) > 0;
      if (!newer) return { kind: 'stale' };
    }
    this.remember(eventId);
    // Every event brings new copies of the agent's ARN and username: keep one of each per agent, so the states
    // held for it (tracker, window, delivered, journal) share them (~250 bytes an agent; bench:kcl-memory).
    const known = username === undefined || username === last?.username ? last?.username : username;
    const loggedOut =
      eventType === AgentEventType.LOGOUT || (eventType === AgentEventType.HEART_BEAT && (last?.loggedOut ?? false));
    if (last) {
      last.username = known;
      last.loggedOut = loggedOut;
      last.sourceId = sourceId;
      last.sequenceNumber = sequenceNumber;
      last.eventTimeMillis = eventTimeMillis;
    } else {
      this.agents.set(agentArn, {
        agentArn,
        username: known,
        loggedOut,
        sourceId,
        sequenceNumber,
        eventTimeMillis,
        seenAt: this.now(),
      });
    }
    if (known === undefined) return { kind: 'no-username' };
    return { kind: 'apply', agentArn: last?.agentArn ?? agentArn, userCode: known, loggedOut };
  }

  /**
   * After a restart: the delivered states bound what counts as newer (no sequence numbers survive shards), and the
   * persisted login status carries over, so an agent logged out stays so through the heartbeats that follow a logout
   * and one logged in again (even by a LOGIN without snapshots) is not. Stores written before the status was kept
   * fall back to the delivered code.
   */
  restore(states: Iterable<DeliveredState>, loggedOutStateCode: string): void {
    const seenAt = this.now();
    for (const s of states)
      this.agents.set(s.agentArn, {
        agentArn: s.agentArn,
        username: s.userCode,
        loggedOut: s.loggedOut ?? s.stateCode === loggedOutStateCode,
        sourceId: '(restored)',
        sequenceNumber: '0',
        eventTimeMillis: s.eventTimeMillis,
        seenAt,
      });
  }

  /**
   * Amazon Connect reported the agent's state at `atMillis` (snapshot or reconciliation): from now on only events at
   * or after that time are newer. Returns false, and changes nothing, when an applied event is already newer.
   */
  seed(agentArn: string, username: string, atMillis: number): boolean {
    const last = this.agents.get(agentArn);
    if (last && last.eventTimeMillis > atMillis) return false;
    this.agents.set(agentArn, {
      agentArn,
      username,
      loggedOut: false,
      sourceId: SEEDED_SOURCE,
      sequenceNumber: '0',
      eventTimeMillis: atMillis,
      seenAt: this.now(),
    });
    return true;
  }

  /** EventTimestamp of the newest event (or seed) applied for the agent. */
  lastEventTimeOf(agentArn: string): number | undefined {
    return this.agents.get(agentArn)?.eventTimeMillis;
  }

  /** Forgets agents not seen since `before` (epoch ms); returns the usernames they held. */
  evictIdle(before: number): { agentArn: string; username: string | undefined }[] {
    const evicted: { agentArn: string; username: string | undefined }[] = [];
    for (const [agentArn, p] of this.agents)
      if (p.seenAt < before) {
        this.agents.delete(agentArn);
        evicted.push({ agentArn, username: p.username });
      }
    return evicted;
  }

  get size(): number {
    return this.agents.size;
  }

  private remember(eventId: string): void {
    this.recentIds.add(eventId);
    if (this.recentIds.size >= this.recentEventIdCapacity / 2) {
      this.olderIds = this.recentIds;
      this.recentIds = new Set();
    }
  }
}
