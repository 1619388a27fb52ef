import type { FakeAgent, FakeConnectApi } from '../../local/connectApi/FakeConnectApi';
import { STATUSES, agentArn, userCode } from './agentEvents';

/** The instance of test/helpers/agentEvents.ts: the fake reports the same agent ARNs as the stream events. */
export const TEST_INSTANCE_ID = '6e3230e5-2dd2-4464-ade8-b032cdd0abef';

export const userIdOf = (agent: number): string => agentArn(agent).split('/').pop()!;

/**
 * Contact mixes and the code each must give in `contact` mode (docs/state-codes.md), written out by hand so the
 * test does not derive its expectations with the code under test. Undefined: the status name.
 */
const MIXES: { contacts: { channel: string; state: string }[]; code?: string }[] = [
  { contacts: [] },
  { contacts: [{ channel: 'VOICE', state: 'CONNECTED' }], code: 'VOICE_ON_CONTACT' },
  {
    contacts: [
      { channel: 'CHAT', state: 'CONNECTING' },
      { channel: 'CHAT', state: 'ENDED' },
    ],
    code: 'CHAT_AFTER_CONTACT_WORK',
  },
  { contacts: [{ channel: 'VOICE', state: 'CONNECTED_ONHOLD' }], code: 'VOICE_ON_HOLD' },
  { contacts: [{ channel: 'TASK', state: 'PENDING' }], code: 'TASK_INCOMING' },
  {
    contacts: [
      { channel: 'CHAT', state: 'MISSED' },
      { channel: 'EMAIL', state: 'CONNECTED' },
    ],
    code: 'EMAIL_ON_CONTACT',
  },
  { contacts: [{ channel: 'CHAT', state: 'REJECTED' }], code: 'CHAT_MISSED' },
];

export interface PopulatedInstance {
  agents: number[];
  /** What WFM must hold per user code for the logged-in agents (the logged-out ones are absent). */
  expected(mode: 'status' | 'contact'): Map<string, string>;
}

/**
 * `count` agents numbered from `base` across `profiles` routing profiles: every tenth logged out, the others in
 * mixed statuses and contact mixes, some with a next status pending.
 */
export function populateInstance(fake: FakeConnectApi, count: number, profiles: number, base = 0): PopulatedInstance {
  const agents: number[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const n = base + i;
    agents.push(n);
    const mix = MIXES[i % MIXES.length]!;
    const agent: FakeAgent = {
      userId: userIdOf(n),
      username: userCode(n),
      routingProfileId: `rp-${String(i % profiles).padStart(3, '0')}`,
      loggedIn: i % 10 !== 9,
      status: { name: STATUSES[i % STATUSES.length]!, startMillis: now - 60_000 },
      nextStatus: i % 11 === 0 ? 'Lunch' : undefined,
      contacts: mix.contacts.map((c, k) => ({
        contactId: `c-${n}-${k}`,
        channel: c.channel,
        state: c.state,
        stateStartMillis: now - 30_000,
        queueId: 'q-basic',
      })),
    };
    fake.upsertAgent(agent);
  }
  return {
    agents,
    expected(mode) {
      const out = new Map<string, string>();
      agents.forEach((n, i) => {
        if (i % 10 === 9) return;
        const status = STATUSES[i % STATUSES.length]!;
        out.set(userCode(n), mode === 'contact' ? (MIXES[i % MIXES.length]!.code ?? status) : status);
      });
      return out;
    },
  };
}
