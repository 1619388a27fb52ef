import type { SimAgent, SimStatus } from './buildInstance';
import { toConnectQueue } from './buildInstance';
import {
  type ContactTraceRecord,
  isoMillis,
  type StreamAgentEvent,
  type StreamAgentSnapshot,
  type StreamContact,
} from './connectShapes';
import type { SeededRandom } from './SeededRandom';
import type { SimulatedOutput } from './types';

export const HEART_BEAT_INTERVAL_MILLIS = 120_000;
/** Connect keeps sending heartbeats for up to an hour after the agent logs off. */
export const HEART_BEATS_AFTER_LOGOUT_MILLIS = 3_600_000;

export interface LiveContact {
  contactId: string;
  initialContactId: string | null;
  channel: string;
  initiationMethod: string;
  queue: { ARN: string; Name: string };
  queueTimestamp: number | null;
  connectedToAgent: number | null;
  state: string;
  stateStart: number;
}

/**
 * One agent's view as Connect publishes it: holds the live status, contacts and pending next status, and turns each
 * change into an agent event whose Previous snapshot is the last one published. It also interleaves what Connect adds
 * on its own: a HEART_BEAT after 120 s without any other event, and contact records (CTRs) once their time has come.
 * Nothing at or after the horizon is emitted.
 */
export class AgentEventWriter {
  status: SimStatus;
  statusStart: number;
  next: { status: SimStatus; enqueued: number } | null = null;
  contacts: LiveContact[] = [];
  private previous: StreamAgentSnapshot | null = null;
  private lastEventAt: number | null = null;
  private heartBeatUntil = Infinity;
  private pendingCtrs: { at: number; record: ContactTraceRecord }[] = [];

  constructor(
    private readonly agent: SimAgent,
    private readonly instance: { accountId: string; instanceArn: string },
    offline: SimStatus,
    private readonly rng: SeededRandom,
    readonly horizon: number,
  ) {
    this.status = offline;
    this.statusStart = 0;
  }

  /** True once the simulation horizon is reached: the agent's behaviour stops. */
  passed(at: number): boolean {
    return at >= this.horizon;
  }

  /** A CTR to publish at `at` (Connect writes it after ACW, with a small delay). */
  addCtr(at: number, record: ContactTraceRecord): void {
    this.pendingCtrs.push({ at, record });
  }

  /** Publishes the current state as an event at `at`, after any heartbeats and CTRs due before it. */
  event(at: number, type: StreamAgentEvent['EventType'], options: { nullSnapshots?: boolean } = {}): SimulatedOutput[] {
    const out = this.until(Math.min(at, this.horizon));
    if (at >= this.horizon) return out;
    const current = options.nullSnapshots ? null : this.snapshot();
    const previous = type === 'LOGIN' ? null : this.previous;
    out.push({ kind: 'agent-event', timeMillis: Math.round(at), event: this.build(at, type, current, previous) });
    this.previous = current;
    this.lastEventAt = at;
    this.heartBeatUntil = type === 'LOGOUT' ? at + HEART_BEATS_AFTER_LOGOUT_MILLIS : Infinity;
    return out;
  }

  /** Everything Connect would publish on its own before `at`: heartbeats and due CTRs, in time order. */
  until(at: number): SimulatedOutput[] {
    const out: SimulatedOutput[] = [];
    const limit = Math.min(at, this.horizon);
    if (this.lastEventAt !== null) {
      for (
        let t = this.lastEventAt + HEART_BEAT_INTERVAL_MILLIS;
        t < limit && t <= this.heartBeatUntil;
        t += HEART_BEAT_INTERVAL_MILLIS
      ) {
        out.push({
          kind: 'agent-event',
          timeMillis: Math.round(t),
          event: this.build(t, 'HEART_BEAT', this.previous, this.previous),
        });
        this.lastEventAt = t;
      }
    }
    const due = this.pendingCtrs.filter((c) => c.at < limit);
    if (due.length > 0) {
      this.pendingCtrs = this.pendingCtrs.filter((c) => c.at >= limit);
      for (const c of due) out.push({ kind: 'ctr', timeMillis: Math.round(c.at), record: c.record });
      out.sort((a, b) => a.timeMillis - b.timeMillis);
    }
    return out;
  }

  private build(
    at: number,
    type: StreamAgentEvent['EventType'],
    current: StreamAgentSnapshot | null,
    previous: StreamAgentSnapshot | null,
  ): StreamAgentEvent {
    return {
      AWSAccountId: this.instance.accountId,
      AgentARN: this.agent.arn,
      CurrentAgentSnapshot: current,
      EventId: this.rng.uuid(),
      EventTimestamp: isoMillis(at),
      EventType: type,
      InstanceARN: this.instance.instanceArn,
      PreviousAgentSnapshot: previous,
      Version: '2019-05-25',
    };
  }

  private snapshot(): StreamAgentSnapshot {
    const profile = this.agent.routingProfile;
    const used: Record<string, number> = {};
    for (const c of this.contacts) used[c.channel] = (used[c.channel] ?? 0) + 1;
    const personal = {
      ARN: `${this.instance.instanceArn}/queue/agent/${this.agent.userId}`,
      Channels: (['VOICE', 'CHAT', 'TASK'] as const).filter((ch) => profile.maxSlots[ch] > 0),
      Name: null,
    };
    return {
      AgentStatus: {
        ARN: this.status.arn,
        Name: this.status.name,
        StartTimestamp: isoMillis(this.statusStart),
        Type: this.status.type,
      },
      Configuration: {
        AgentHierarchyGroups: this.agent.hierarchy,
        FirstName: this.agent.firstName,
        LastName: this.agent.lastName,
        RoutingProfile: {
          ARN: profile.arn,
          Concurrency: (['CHAT', 'TASK', 'VOICE'] as const)
            .filter((ch) => profile.maxSlots[ch] > 0)
            .map((ch) => ({
              AvailableSlots: Math.max(0, profile.maxSlots[ch] - (used[ch] ?? 0)),
              Channel: ch,
              MaximumSlots: profile.maxSlots[ch],
            })),
          DefaultOutboundQueue: toConnectQueue(profile.outbound),
          InboundQueues: [personal, ...profile.inbound.map(toConnectQueue)],
          Name: profile.name,
        },
        Username: this.agent.username,
      },
      Contacts: this.contacts.map((c): StreamContact => ({
        Channel: c.channel,
        ConnectedToAgentTimestamp: c.connectedToAgent === null ? null : isoMillis(c.connectedToAgent),
        ContactId: c.contactId,
        InitialContactId: c.initialContactId,
        InitiationMethod: c.initiationMethod,
        Queue: { ...c.queue },
        QueueTimestamp: c.queueTimestamp === null ? null : isoMillis(c.queueTimestamp),
        State: c.state,
        StateStartTimestamp: isoMillis(c.stateStart),
      })),
      NextAgentStatus: this.next
        ? { ARN: this.next.status.arn, EnqueuedTimestamp: isoMillis(this.next.enqueued), Name: this.next.status.name }
        : null,
    };
  }
}
