/** Builders for Amazon Connect agent events (the shape of test/fixtures/events/agent-events/*.json). */
import { randomUUID } from 'node:crypto';

const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/6e3230e5-2dd2-4464-ade8-b032cdd0abef';

export const agentArn = (n: number): string =>
  `${INSTANCE}/agent/00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const userCode = (n: number): string => `agent.${n}`;

export interface AgentEventSpec {
  agent: number;
  status: string;
  /** Event time (epoch ms); defaults to now. */
  at?: number;
  type?: 'STATE_CHANGE' | 'HEART_BEAT' | 'LOGIN' | 'LOGOUT';
  /** The Connect username (default `agent.<n>`): usernames can move between agents. */
  username?: string;
  /** Both snapshots null, as a LOGIN can carry (fixture 01-login-null-snapshots.json). */
  nullSnapshots?: boolean;
  eventId?: string;
}

export function agentEvent(spec: AgentEventSpec): Record<string, unknown> {
  const at = new Date(spec.at ?? Date.now()).toISOString();
  const snapshot = {
    AgentStatus: { ARN: `${INSTANCE}/agent-state/${spec.status}`, Name: spec.status, StartTimestamp: at },
    Configuration: {
      AgentHierarchyGroups: null,
      FirstName: 'Agent',
      LastName: String(spec.agent),
      RoutingProfile: { ARN: `${INSTANCE}/routing-profile/basic`, Name: 'Basic Routing Profile' },
      Username: spec.username ?? userCode(spec.agent),
    },
    Contacts: [],
  };
  return {
    AWSAccountId: '123456789012',
    AgentARN: agentArn(spec.agent),
    CurrentAgentSnapshot: spec.nullSnapshots ? null : snapshot,
    EventId: spec.eventId ?? randomUUID(),
    EventTimestamp: at,
    EventType: spec.type ?? 'STATE_CHANGE',
    InstanceARN: INSTANCE,
    PreviousAgentSnapshot: null,
    Version: '2017-10-01',
  };
}

export const STATUSES = ['Available', 'Break', 'Lunch', 'Training', 'Meeting'] as const;

/** A 56-digit Kinesis-like sequence number for a small counter. */
export const sequenceNumber = (n: number): string =>
  `4959033827149025660855969253836157109592157598913658${String(n).padStart(4, '0')}`;
