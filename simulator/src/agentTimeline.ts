import { AgentEventWriter, type LiveContact } from './AgentEventWriter';
import type { Channel, ConnectInstance, SimAgent, SimStatus } from './buildInstance';
import { type ContactTraceRecord, type Endpoint, isoSeconds } from './connectShapes';
import type { SeededRandom } from './SeededRandom';
import type { SimulatedOutput, SimulationOptions } from './types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Medians (seconds) and log-normal shapes per channel: typical contact-centre figures. */
const PROFILE: Record<
  Channel,
  { queue: number; talk: number; talkSigma: number; acw: number; ring: [number, number] }
> = {
  VOICE: { queue: 25, talk: 240, talkSigma: 0.6, acw: 30, ring: [2, 8] },
  CHAT: { queue: 40, talk: 420, talkSigma: 0.5, acw: 15, ring: [1, 4] },
  TASK: { queue: 120, talk: 300, talkSigma: 0.7, acw: 20, ring: [1, 5] },
};
const MISSED_SHARE = 0.05;
const HOLD_SHARE = 0.25;
const TRANSFER_OUT_SHARE = 0.06;
const TRANSFER_IN_SHARE = 0.05;
const OUTBOUND_NO_ANSWER_SHARE = 0.3;
/** Chats on a profile with two or more chat slots that get a second chat while the first is live. */
const CONCURRENT_CHAT_SHARE = 0.35;

interface PlannedStatus {
  at: number;
  status: SimStatus;
  lengthMillis: number;
}

/** One agent's shift as the sequence of what Connect publishes about it, in time order. */
export function* agentTimeline(
  agent: SimAgent,
  instance: ConnectInstance,
  rng: SeededRandom,
  options: SimulationOptions,
): Generator<SimulatedOutput> {
  const start = options.startMillis;
  const horizon = start + options.durationMillis;
  const w = new AgentEventWriter(agent, instance, instance.statuses.Offline, rng, horizon);
  const s = instance.statuses;

  // One shift per agent: 8.5 h, or the whole span when shorter; longer spans stagger the shift starts.
  const shift = Math.min(8.5 * HOUR, options.durationMillis);
  const stagger = Math.min(2 * MINUTE, 0.03 * shift);
  const shiftStart = start + rng.uniform(0, options.durationMillis - shift) + rng.uniform(0, stagger);
  // Logouts leave room for the last contact to finish inside the span.
  const margin = Math.min(20 * MINUTE, 0.06 * shift);
  const logoutAt = shiftStart + shift - rng.uniform(margin / 2, margin);
  const part = (fraction: number) => shiftStart + shift * (fraction + rng.uniform(-0.04, 0.04));
  const length = (nominal: number, share: number) => Math.min(nominal, share * shift) * rng.uniform(0.9, 1.2);
  const plan: PlannedStatus[] = [
    { at: part(0.25), status: s.Break, lengthMillis: length(15 * MINUTE, 0.05) },
    { at: part(0.5), status: s.Lunch, lengthMillis: length(30 * MINUTE, 0.08) },
    { at: part(0.75), status: s.Break, lengthMillis: length(15 * MINUTE, 0.05) },
  ];
  if (rng.chance(0.2)) plan.push({ at: part(0.38), status: s.Training, lengthMillis: length(45 * MINUTE, 0.07) });
  plan.sort((a, b) => a.at - b.at);

  const setStatus = (status: SimStatus, at: number) => {
    w.status = status;
    w.statusStart = at;
  };

  // Log in (a few LOGINs carry null snapshots, as real 2018 data does), then go Available.
  let t = shiftStart;
  w.statusStart = t;
  yield* w.event(t, 'LOGIN', { nullSnapshots: rng.chance(0.03) });
  t += rng.uniform(3, 30) * SECOND;
  setStatus(s.Available, t);
  yield* w.event(t, 'STATE_CHANGE');

  while (!w.passed(t)) {
    const idleUntil = t + rng.exponential(HOUR / options.contactsPerAgentHour);
    const planned = plan[0];
    if (planned && planned.at <= idleUntil && planned.at < logoutAt) {
      plan.shift();
      t = Math.max(t, planned.at);
      setStatus(planned.status, t);
      yield* w.event(t, 'STATE_CHANGE');
      t += planned.lengthMillis;
      setStatus(s.Available, t);
      yield* w.event(t, 'STATE_CHANGE');
      continue;
    }
    if (idleUntil >= logoutAt) {
      t = Math.max(t, logoutAt);
      break;
    }
    t = idleUntil;
    const handled = yield* handleContact(w, agent, instance, rng, t, plan);
    t = handled.freeAt;
    const picked = handled.switchedToNext ? plan.shift() : undefined;
    if (picked) {
      t += picked.lengthMillis;
      setStatus(s.Available, t);
      yield* w.event(t, 'STATE_CHANGE');
    }
  }

  if (!w.passed(t)) {
    setStatus(s.Offline, t);
    yield* w.event(t, 'STATE_CHANGE');
    t += rng.uniform(2, 10) * SECOND;
    yield* w.event(t, 'LOGOUT');
  }
  // Heartbeats for up to an hour after logoff, and the last CTRs.
  yield* w.until(horizon);
}

/**
 * Offers a contact at `offeredAt` and plays it to the end of ACW; a chat agent with a free chat slot may get a second,
 * concurrent chat meanwhile. Returns when the agent is free again (every contact cleared).
 */
function* handleContact(
  w: AgentEventWriter,
  agent: SimAgent,
  instance: ConnectInstance,
  rng: SeededRandom,
  offeredAt: number,
  plan: PlannedStatus[],
): Generator<SimulatedOutput, { freeAt: number; switchedToNext: boolean }> {
  const profile = agent.routingProfile;
  const channel = rng.weighted(profile.channelMix);
  const plans = [planContact(agent, instance, rng, w, offeredAt, channel)];
  const first = plans[0]!;
  if (
    channel === 'CHAT' &&
    profile.maxSlots.CHAT >= 2 &&
    first.connectedAt !== null &&
    rng.chance(CONCURRENT_CHAT_SHARE)
  ) {
    const secondAt = first.connectedAt + rng.uniform(0.1, 0.6) * (first.endedAt - first.connectedAt);
    plans.push(planContact(agent, instance, rng, w, secondAt, 'CHAT'));
  }
  const freeAt = Math.max(...plans.map((p) => p.clearedAt));
  const steps = plans.flatMap((p) => p.steps);
  // A status the agent picks while busy becomes NextAgentStatus; it takes effect when the last contact clears.
  const nextPick = plan[0];
  if (nextPick && nextPick.at < freeAt) {
    const at = Math.max(nextPick.at, offeredAt + 1);
    steps.push({ at, apply: () => (w.next = { status: nextPick.status, enqueued: at }) });
  }
  steps.sort((a, b) => a.at - b.at);
  // Each CTR is due after its own contact's ACW: the writer interleaves it with later events (never past the horizon).
  for (const p of plans) if (p.ctr) w.addCtr(p.ctr.at, p.ctr.record);
  let switchedToNext = false;
  for (const s of steps)
    yield* step(w, s.at, () => {
      s.apply();
      if (w.contacts.length === 0 && w.next) {
        // Same event as the clearing contact, as Connect does.
        w.status = w.next.status;
        w.statusStart = s.at;
        w.next = null;
        switchedToNext = true;
      }
    });
  return { freeAt, switchedToNext };
}

interface ContactPlan {
  steps: { at: number; apply: () => void }[];
  connectedAt: number | null;
  endedAt: number;
  clearedAt: number;
  ctr: { at: number; record: ContactTraceRecord } | undefined;
}

/** Everything one contact does to the agent's snapshot, as timed changes, plus its CTR. */
function planContact(
  agent: SimAgent,
  instance: ConnectInstance,
  rng: SeededRandom,
  w: AgentEventWriter,
  offeredAt: number,
  channel: Channel,
): ContactPlan {
  const profile = agent.routingProfile;
  const p = PROFILE[channel];
  const outbound = channel === 'VOICE' && rng.chance(profile.outboundShare);
  const serving = profile.inbound.filter((q) => q.channels.includes(channel));
  const queue = outbound ? profile.outbound : rng.pick(serving.length > 0 ? serving : profile.inbound);
  const transferredIn = !outbound && channel === 'VOICE' && rng.chance(TRANSFER_IN_SHARE);
  const contactId = rng.uuid();
  const previousContactId = transferredIn ? rng.uuid() : null;
  const initiationMethod = outbound ? 'OUTBOUND' : transferredIn ? 'TRANSFER' : channel === 'VOICE' ? 'INBOUND' : 'API';
  const queueMillis = outbound ? 0 : rng.logNormal(p.queue, 1.0, 1, 1800) * SECOND;
  const enqueuedAt = offeredAt - queueMillis;
  const initiatedAt = outbound ? offeredAt : enqueuedAt - (channel === 'VOICE' ? rng.uniform(10, 60) * SECOND : SECOND);
  const contact: LiveContact = {
    contactId,
    initialContactId: previousContactId,
    channel,
    initiationMethod,
    queue: { ARN: queue.arn, Name: queue.name },
    queueTimestamp: outbound ? null : enqueuedAt,
    connectedToAgent: null,
    state: 'CONNECTING',
    stateStart: offeredAt,
  };
  const steps: ContactPlan['steps'] = [];
  const change = (at: number, apply: () => void) => steps.push({ at, apply });
  const setState = (state: string, at: number) => () => {
    contact.state = state;
    contact.stateStart = at;
  };
  change(offeredAt, () => (w.contacts = [...w.contacts, contact]));
  const clear = () => (w.contacts = w.contacts.filter((c) => c !== contact));
  const ctrBase = {
    agent,
    instance,
    contact,
    channel,
    initiatedAt,
    enqueuedAt: outbound ? offeredAt : enqueuedAt,
    previousContactId,
  };

  if (!outbound && rng.chance(MISSED_SHARE)) {
    // Not answered within the ring timeout: MISSED for voice, REJECTED for chat and task; then it leaves the agent.
    const missedAt = offeredAt + (channel === 'VOICE' ? 20 : 30) * SECOND;
    change(missedAt, setState(channel === 'VOICE' ? 'MISSED' : 'REJECTED', missedAt));
    const clearedAt = missedAt + rng.uniform(5, 20) * SECOND;
    change(clearedAt, clear);
    let ctr: ContactPlan['ctr'];
    if (rng.chance(0.5)) {
      const disconnectAt = clearedAt + rng.uniform(10, 90) * SECOND;
      ctr = { at: disconnectAt + rng.uniform(30, 120) * SECOND, record: abandonedCtr(ctrBase, disconnectAt, rng) };
    }
    return { steps, connectedAt: null, endedAt: missedAt, clearedAt, ctr };
  }

  const connectedAt = offeredAt + rng.uniform(...(outbound ? ([1, 2] as [number, number]) : p.ring)) * SECOND;
  change(connectedAt, () => {
    contact.connectedToAgent = connectedAt;
    setState('CONNECTED', connectedAt)();
  });
  let customerAt: number | null = outbound ? connectedAt + rng.uniform(5, 25) * SECOND : offeredAt;
  let talkMillis = rng.logNormal(p.talk, p.talkSigma, 15, 3 * 3600) * SECOND;
  if (outbound && rng.chance(OUTBOUND_NO_ANSWER_SHARE)) {
    customerAt = null;
    talkMillis = rng.uniform(15, 30) * SECOND;
  }
  const holds: number[] = [];
  if (channel === 'VOICE' && customerAt !== null && rng.chance(HOLD_SHARE)) {
    const n = rng.chance(0.7) ? 1 : 2;
    for (let i = 0; i < n; i++) holds.push(rng.logNormal(45, 0.7, 5, 600) * SECOND);
  }
  let cursor = connectedAt;
  holds.forEach((hold, i) => {
    const holdAt =
      connectedAt + (talkMillis * (i + 1)) / (holds.length + 1) + holds.slice(0, i).reduce((a, b) => a + b, 0);
    const resumeAt = holdAt + hold;
    change(holdAt, setState('CONNECTED_ONHOLD', holdAt));
    change(resumeAt, setState('CONNECTED', resumeAt));
    cursor = resumeAt;
  });
  const holdMillis = holds.reduce((a, b) => a + b, 0);
  const endedAt = Math.max(cursor, connectedAt + talkMillis + holdMillis);
  change(endedAt, setState('ENDED', endedAt));
  const acwMillis = rng.logNormal(p.acw, 0.8, 2, 600) * SECOND;
  const clearedAt = endedAt + acwMillis;
  change(clearedAt, clear);

  const transferredOut = channel === 'VOICE' && !outbound && customerAt !== null && rng.chance(TRANSFER_OUT_SHARE);
  const disconnectAt = transferredOut ? endedAt + rng.uniform(60, 900) * SECOND : endedAt;
  const record = answeredCtr(ctrBase, rng, {
    connectedAt,
    customerAt,
    talkMillis,
    holds,
    endedAt,
    clearedAt,
    disconnectAt,
    transferredOut,
    outbound,
  });
  return { steps, connectedAt, endedAt, clearedAt, ctr: { at: clearedAt + rng.uniform(5, 90) * SECOND, record } };
}

/** Applies a change at `at` and publishes it, unless the horizon has passed. */
function* step(w: AgentEventWriter, at: number, apply: () => void): Generator<SimulatedOutput> {
  if (w.passed(at)) return;
  apply();
  yield* w.event(at, 'STATE_CHANGE');
}

interface CtrBase {
  agent: SimAgent;
  instance: ConnectInstance;
  contact: LiveContact;
  channel: Channel;
  initiatedAt: number;
  enqueuedAt: number;
  previousContactId: string | null;
}

const secondsBetween = (a: number, b: number) => Math.max(0, Math.floor(b / 1000) - Math.floor(a / 1000));

function endpoints(base: CtrBase, rng: SeededRandom): { customer: Endpoint | null; system: Endpoint | null } {
  if (base.channel !== 'VOICE') return { customer: null, system: null };
  return {
    customer: { Address: `+4670${rng.int(1000000, 9999999)}`, Type: 'TELEPHONE_NUMBER' },
    system: { Address: rng.pick(base.instance.phoneNumbers), Type: 'TELEPHONE_NUMBER' },
  };
}

function ctrShell(base: CtrBase, rng: SeededRandom, disconnectAt: number, lastUpdateAt: number) {
  const { customer, system } = endpoints(base, rng);
  return {
    AWSAccountId: base.instance.accountId,
    AWSContactTraceRecordFormatVersion: '2017-03-10' as const,
    AnsweringMachineDetectionStatus: null,
    Attributes: { simulated: 'true' },
    Campaign: { CampaignId: null },
    Channel: base.channel,
    ContactDetails: {},
    ContactId: base.contact.contactId,
    CustomerEndpoint: customer,
    DisconnectTimestamp: isoSeconds(disconnectAt),
    InitialContactId: base.previousContactId,
    InitiationMethod: base.contact.initiationMethod,
    InitiationTimestamp: isoSeconds(base.initiatedAt),
    InstanceARN: base.instance.instanceArn,
    LastUpdateTimestamp: isoSeconds(lastUpdateAt),
    MediaStreams: base.channel === 'TASK' ? [] : [{ Type: base.channel === 'VOICE' ? 'AUDIO' : 'CHAT' }],
    NextContactId: null,
    PreviousContactId: base.previousContactId,
    Recording: null,
    Recordings: [] as [],
    References: [] as [],
    ScheduledTimestamp: null,
    SystemEndpoint: system,
  };
}

/** Top-level keys in alphabetical order, as Connect writes them. */
const ordered = (ctr: ContactTraceRecord): ContactTraceRecord =>
  Object.fromEntries(Object.entries(ctr).sort(([a], [b]) => (a < b ? -1 : 1))) as unknown as ContactTraceRecord;

function abandonedCtr(base: CtrBase, disconnectAt: number, rng: SeededRandom): ContactTraceRecord {
  const shell = ctrShell(base, rng, disconnectAt, disconnectAt + 30 * SECOND);
  return ordered({
    ...shell,
    Agent: null,
    AgentConnectionAttempts: 1,
    ConnectedToSystemTimestamp: isoSeconds(base.initiatedAt),
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    Queue: {
      ARN: base.contact.queue.ARN,
      DequeueTimestamp: isoSeconds(disconnectAt),
      Duration: secondsBetween(base.enqueuedAt, disconnectAt),
      EnqueueTimestamp: isoSeconds(base.enqueuedAt),
      Name: base.contact.queue.Name,
    },
    TransferCompletedTimestamp: null,
    TransferredToEndpoint: null,
    VoiceIdResult: null,
  });
}

function answeredCtr(
  base: CtrBase,
  rng: SeededRandom,
  t: {
    connectedAt: number;
    customerAt: number | null;
    talkMillis: number;
    holds: number[];
    endedAt: number;
    clearedAt: number;
    disconnectAt: number;
    transferredOut: boolean;
    outbound: boolean;
  },
): ContactTraceRecord {
  const { agent } = base;
  const shell = ctrShell(base, rng, t.disconnectAt, t.clearedAt + rng.uniform(5, 60) * SECOND);
  const holdSeconds = t.holds.map((h) => Math.round(h / 1000));
  const hierarchy = agent.hierarchy;
  return ordered({
    ...shell,
    Agent: {
      ARN: agent.arn,
      AfterContactWorkDuration: secondsBetween(t.endedAt, t.clearedAt),
      AfterContactWorkEndTimestamp: isoSeconds(t.clearedAt),
      AfterContactWorkStartTimestamp: isoSeconds(t.endedAt),
      AgentInteractionDuration: Math.round(t.talkMillis / 1000),
      ConnectedToAgentTimestamp: isoSeconds(t.connectedAt),
      CustomerHoldDuration: holdSeconds.reduce((a, b) => a + b, 0),
      HierarchyGroups: hierarchy
        ? {
            Level1: hierarchy.Level1 && { ARN: hierarchy.Level1.ARN, GroupName: hierarchy.Level1.Name ?? '' },
            Level2: hierarchy.Level2 && { ARN: hierarchy.Level2.ARN, GroupName: hierarchy.Level2.Name ?? '' },
            Level3: null,
            Level4: null,
            Level5: null,
          }
        : null,
      LongestHoldDuration: holdSeconds.length ? Math.max(...holdSeconds) : 0,
      NumberOfHolds: holdSeconds.length,
      RoutingProfile: { ARN: agent.routingProfile.arn, Name: agent.routingProfile.name },
      Username: agent.username,
    },
    AgentConnectionAttempts: 1,
    ConnectedToSystemTimestamp: t.customerAt === null ? null : isoSeconds(t.customerAt),
    DisconnectReason: t.transferredOut
      ? 'CUSTOMER_DISCONNECT'
      : base.channel === 'TASK'
        ? 'AGENT_DISCONNECT'
        : rng.chance(0.7)
          ? 'CUSTOMER_DISCONNECT'
          : 'AGENT_DISCONNECT',
    Queue: {
      ARN: base.contact.queue.ARN,
      DequeueTimestamp: isoSeconds(t.outbound ? base.enqueuedAt : t.connectedAt),
      Duration: t.outbound ? 0 : secondsBetween(base.enqueuedAt, t.connectedAt),
      EnqueueTimestamp: isoSeconds(base.enqueuedAt),
      Name: base.contact.queue.Name,
    },
    TransferCompletedTimestamp: t.transferredOut ? isoSeconds(t.endedAt) : null,
    TransferredToEndpoint: t.transferredOut
      ? { Address: `+4680${rng.int(1000000, 9999999)}`, Type: 'TELEPHONE_NUMBER' }
      : null,
    VoiceIdResult: null,
  });
}
