import type { ArnName, ConnectQueue, HierarchyLevels } from './connectShapes';
import type { SeededRandom } from './SeededRandom';

export type Channel = 'VOICE' | 'CHAT' | 'TASK';

export interface SimQueue {
  arn: string;
  name: string;
  channels: Channel[];
}

export interface SimRoutingProfile {
  arn: string;
  name: string;
  inbound: SimQueue[];
  outbound: SimQueue;
  maxSlots: Record<Channel, number>;
  /** Relative weight of each channel among the contacts offered to agents on this profile. */
  channelMix: Record<Channel, number>;
  /** Share of voice contacts the agent dials out. */
  outboundShare: number;
}

export interface SimStatus {
  arn: string;
  name: string;
  type: 'ROUTABLE' | 'CUSTOM' | 'OFFLINE';
}

export interface SimAgent {
  index: number;
  userId: string;
  arn: string;
  username: string;
  firstName: string;
  lastName: string;
  routingProfile: SimRoutingProfile;
  hierarchy: HierarchyLevels<ArnName> | null;
}

export interface ConnectInstance {
  accountId: string;
  region: string;
  instanceId: string;
  instanceArn: string;
  queues: SimQueue[];
  routingProfiles: SimRoutingProfile[];
  statuses: Record<'Available' | 'Offline' | 'Break' | 'Lunch' | 'Training', SimStatus>;
  agents: SimAgent[];
  phoneNumbers: string[];
}

const FIRST = [
  'Ada',
  'Bo',
  'Carla',
  'Deniz',
  'Emil',
  'Fatima',
  'Goran',
  'Hanna',
  'Ivan',
  'Jonas',
  'Kim',
  'Lea',
  'Maja',
  'Nils',
  'Olga',
  'Per',
  'Rita',
  'Sami',
  'Tove',
  'Umar',
  'Vera',
  'Wei',
  'Ylva',
  'Zoe',
];
const LAST = [
  'Andersson',
  'Berg',
  'Costa',
  'Dahl',
  'Eriksson',
  'Fischer',
  'Garcia',
  'Holm',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lind',
  'Moreau',
  'Nguyen',
  'Olsen',
  'Patel',
  'Quist',
  'Rossi',
  'Sato',
  'Tanaka',
  'Ulrich',
  'Virtanen',
  'Wong',
];

/** A plausible Connect instance: queues, routing profiles, a two-level hierarchy, statuses and N agents. */
export function buildInstance(rng: SeededRandom, agentCount: number, region = 'eu-west-1'): ConnectInstance {
  const accountId = String(rng.int(100000000000, 999999999999));
  const instanceId = rng.uuid();
  const instanceArn = `arn:aws:connect:${region}:${accountId}:instance/${instanceId}`;
  const queue = (name: string, channels: Channel[]): SimQueue => ({
    arn: `${instanceArn}/queue/${rng.uuid()}`,
    name,
    channels,
  });
  const sales = queue('Sales', ['VOICE', 'CHAT']);
  const support = queue('Support', ['VOICE', 'CHAT', 'TASK']);
  const billing = queue('Billing', ['VOICE']);
  const backOffice = queue('Back Office', ['TASK']);
  const outbound = queue('Outbound', ['VOICE']);
  const profile = (
    name: string,
    inbound: SimQueue[],
    maxSlots: Record<Channel, number>,
    channelMix: Record<Channel, number>,
    outboundShare: number,
  ): SimRoutingProfile => ({
    arn: `${instanceArn}/routing-profile/${rng.uuid()}`,
    name,
    inbound,
    outbound,
    maxSlots,
    channelMix,
    outboundShare,
  });
  const routingProfiles = [
    profile('Sales Voice and Chat', [sales], { VOICE: 1, CHAT: 2, TASK: 0 }, { VOICE: 65, CHAT: 35, TASK: 0 }, 0.25),
    profile(
      'Support Omnichannel',
      [support, billing],
      { VOICE: 1, CHAT: 3, TASK: 1 },
      { VOICE: 55, CHAT: 30, TASK: 15 },
      0.1,
    ),
    profile(
      'Back Office',
      [backOffice, support],
      { VOICE: 1, CHAT: 0, TASK: 1 },
      { VOICE: 15, CHAT: 0, TASK: 85 },
      0.6,
    ),
  ];
  const status = (name: string, type: SimStatus['type']): SimStatus => ({
    arn: `${instanceArn}/agent-state/${rng.uuid()}`,
    name,
    type,
  });
  const statuses = {
    Available: status('Available', 'ROUTABLE'),
    Offline: status('Offline', 'OFFLINE'),
    Break: status('Break', 'CUSTOM'),
    Lunch: status('Lunch', 'CUSTOM'),
    Training: status('Training', 'CUSTOM'),
  };
  const group = (name: string): ArnName => ({ ARN: `${instanceArn}/agent-group/${rng.uuid()}`, Name: name });
  const sites = [group('Stockholm'), group('Lisbon')];
  const teams = ['Team North', 'Team South', 'Team East', 'Team West'].map(group);
  const phoneNumbers = Array.from({ length: 4 }, () => `+4420${rng.int(10000000, 99999999)}`);

  const used = new Set<string>();
  const agents: SimAgent[] = [];
  for (let index = 0; index < agentCount; index++) {
    const userId = rng.uuid();
    const firstName = rng.pick(FIRST);
    const lastName = rng.pick(LAST);
    let username = `${firstName}.${lastName}`.toLowerCase();
    if (used.has(username)) username = `${username}${index}`;
    used.add(username);
    const routingProfile = routingProfiles[index % routingProfiles.length]!;
    const hierarchy: HierarchyLevels<ArnName> | null = rng.chance(0.1)
      ? null
      : { Level1: rng.pick(sites), Level2: rng.pick(teams), Level3: null, Level4: null, Level5: null };
    agents.push({
      index,
      userId,
      arn: `${instanceArn}/agent/${userId}`,
      username,
      firstName,
      lastName,
      routingProfile,
      hierarchy,
    });
  }
  return {
    accountId,
    region,
    instanceId,
    instanceArn,
    queues: [sales, support, billing, backOffice, outbound],
    routingProfiles,
    statuses,
    agents,
    phoneNumbers,
  };
}

export const toConnectQueue = (q: SimQueue): ConnectQueue => ({ ARN: q.arn, Channels: [...q.channels], Name: q.name });
