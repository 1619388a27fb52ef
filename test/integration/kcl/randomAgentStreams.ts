import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeededRandom } from '../../../simulator/src/SeededRandom';
import { agentArn, userCode } from '../../helpers/agentEvents';
import { seqAtMost } from './kclFleet';

/**
 * Seeded random agent event streams for the KCL convergence test, built from the real event shapes of
 * test/fixtures/events/agent-events (login with null snapshots, state change, state change after an ended contact,
 * heartbeat, logout), and the invariant a checkpoint must keep.
 */
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'events', 'agent-events');
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
const TEMPLATES = {
  login: fixture('01-login-null-snapshots.json'),
  change: fixture('02-state-change-available-to-break.json'),
  changeAfterContact: fixture('05-aws-doc-state-change-contact-ended-acw.derived.json'),
  heartbeat: fixture('03-heart-beat-break.json'),
  logout: fixture('04-logout-offline.json'),
};
export const STATUSES = ['Available', 'Break', 'Lunch', 'Training', 'Meeting', 'Coaching', 'Admin'];
/** RTA_LOGGED_OUT_CODE's default: what a LOGOUT puts an agent in. */
export const LOGGED_OUT = 'LOGGED_OUT';

/** One generated event; `seq` and `shardId` once Kinesis stored it. */
export interface GeneratedEvent {
  agent: number;
  at: number;
  /** The state code this event leaves the agent in; undefined if it names none or is a late duplicate. */
  code: string | undefined;
  data: string;
  shardId?: string;
  sequenceNumber?: string;
}

interface Snapshot {
  AgentStatus: { ARN: string; Name: string; StartTimestamp: string };
  Configuration: { Username: string; FirstName: string; LastName: string };
}

function fromTemplate(
  template: Record<string, unknown>,
  e: { agent: number; username: string; status: string; previous: string; at: number; eventId: string },
): string {
  const event = structuredClone(template);
  const arn = agentArn(e.agent);
  const instance = arn.slice(0, arn.indexOf('/agent/'));
  const at = new Date(e.at).toISOString();
  Object.assign(event, { AgentARN: arn, InstanceARN: instance, EventId: e.eventId, EventTimestamp: at });
  for (const [key, status] of [
    ['CurrentAgentSnapshot', e.status],
    ['PreviousAgentSnapshot', e.previous],
  ] as const) {
    const snapshot = event[key] as Snapshot | null;
    if (!snapshot) continue;
    snapshot.AgentStatus = { ARN: `${instance}/agent-state/${status}`, Name: status, StartTimestamp: at };
    Object.assign(snapshot.Configuration, { Username: e.username, FirstName: 'Agent', LastName: String(e.agent) });
  }
  return JSON.stringify(event);
}

/** Per agent: the Connect status, login status and newest state-naming event, as Connect itself knows them. */
export class RandomAgents {
  private readonly status = new Map<number, string>();
  private readonly loggedOut = new Set<number>();
  /** The truth: per agent the newest event (by EventTimestamp) that names a state. */
  readonly truth = new Map<number, { at: number; code: string }>();
  /** Every generated event per agent, before it is put (a state delivered while a put is under way is known). */
  readonly byAgent = new Map<number, GeneratedEvent[]>();
  private clock = Date.now();

  constructor(
    private readonly random: SeededRandom,
    private readonly agents: number,
    private readonly username: (agent: number) => string = userCode,
  ) {}

  /** `count` events of random agents: state changes, heartbeats, logouts, null-snapshot logins, late duplicates. */
  next(count: number): GeneratedEvent[] {
    const events: GeneratedEvent[] = [];
    for (let i = 0; i < count; i++) {
      this.clock = Math.max(this.clock + this.random.int(1, 20), Date.now());
      const agent = this.random.int(1, this.agents);
      const previous = this.status.get(agent) ?? 'Available';
      const common = { agent, username: this.username(agent), previous, eventId: this.random.uuid() };
      const roll = this.random.next();
      const last = this.truth.get(agent);
      let event: GeneratedEvent;
      if (roll < 0.05 && last) {
        // A late duplicate: an older EventTimestamp, a later sequence number; it must not win.
        const at = last.at - this.random.int(1, 5000);
        const status = this.random.pick(STATUSES);
        event = { agent, at, code: undefined, data: fromTemplate(TEMPLATES.change, { ...common, status, at }) };
      } else if (roll < 0.12) {
        this.loggedOut.add(agent);
        const at = this.clock;
        event = {
          agent,
          at,
          code: LOGGED_OUT,
          data: fromTemplate(TEMPLATES.logout, { ...common, status: 'Offline', at }),
        };
      } else if (roll < 0.17) {
        // LOGIN with both snapshots null: no state named, the agent is logged in again.
        this.loggedOut.delete(agent);
        const at = this.clock;
        event = {
          agent,
          at,
          code: undefined,
          data: fromTemplate(TEMPLATES.login, { ...common, status: previous, at }),
        };
      } else if (roll < 0.45) {
        const at = this.clock;
        const code = this.loggedOut.has(agent) ? LOGGED_OUT : previous;
        event = { agent, at, code, data: fromTemplate(TEMPLATES.heartbeat, { ...common, status: previous, at }) };
      } else {
        const status = this.random.pick(STATUSES);
        this.status.set(agent, status);
        this.loggedOut.delete(agent);
        const template = this.random.chance(0.3) ? TEMPLATES.changeAfterContact : TEMPLATES.change;
        const at = this.clock;
        event = { agent, at, code: status, data: fromTemplate(template, { ...common, status, at }) };
      }
      if (event.code !== undefined) this.truth.set(agent, { at: event.at, code: event.code });
      if (!this.byAgent.has(agent)) this.byAgent.set(agent, []);
      this.byAgent.get(agent)!.push(event);
      events.push(event);
    }
    return events;
  }
}

/**
 * The invariant, against one observation of the lease table and WFM's states read after it: for every checkpoint,
 * each known agent's newest state-naming event at or before it (by EventTimestamp) is what WFM holds, unless WFM
 * holds the state of a still newer event of that agent (delivered since).
 */
export function checkpointViolations(
  leases: { leaseKey: string; checkpoint: string | undefined }[],
  stored: GeneratedEvent[],
  agents: RandomAgents,
  known: (agent: number) => boolean,
  held: Map<string, string>,
): string[] {
  const violations: string[] = [];
  for (const { leaseKey, checkpoint } of leases) {
    if (!checkpoint || !/^\d+$/.test(checkpoint)) continue; // TRIM_HORIZON, AT_TIMESTAMP, SHARD_END
    const passed = new Map<number, GeneratedEvent>();
    for (const e of stored)
      if (e.shardId === leaseKey && e.code !== undefined && seqAtMost(e.sequenceNumber!, checkpoint))
        if ((passed.get(e.agent)?.at ?? -1) < e.at) passed.set(e.agent, e);
    for (const [agent, e] of passed) {
      if (!known(agent)) continue;
      const now = held.get(userCode(agent));
      const newer = agents.byAgent.get(agent)!.filter((n) => n.code !== undefined && n.at >= e.at);
      if (!newer.some((n) => n.code === now))
        violations.push(
          `${leaseKey} checkpoint …${checkpoint.slice(-6)} passed ${userCode(agent)}=${e.code}, WFM holds ${now}`,
        );
    }
  }
  return violations;
}
