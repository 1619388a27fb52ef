import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTACT_STATE_CODES, deriveStateCode, usernameOf } from '../../../../consumer/src/domain/deriveStateCode';
import type { AgentEvent } from '../../../../consumer/src/domain/agentEvent';

const SAMPLES = join(__dirname, '..', '..', '..', 'fixtures', 'events', 'agent-events');
const sample = (name: string): AgentEvent => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'));
const status = { stateMode: 'status' as const, loggedOutStateCode: 'LOGGED_OUT' };
const contact = { stateMode: 'contact' as const, loggedOutStateCode: 'LOGGED_OUT' };

const withContacts = (contacts: { Channel?: string; State?: string }[], statusName = 'Available'): AgentEvent => {
  const e = sample('02-state-change-available-to-break.json');
  e.CurrentAgentSnapshot!.AgentStatus!.Name = statusName;
  e.CurrentAgentSnapshot!.Contacts = contacts;
  return e;
};

describe('deriveStateCode over the real samples', () => {
  it.each([
    ['01-login-null-snapshots.json', undefined, undefined],
    ['02-state-change-available-to-break.json', 'Break', 'Break'],
    ['03-heart-beat-break.json', 'Break', 'Break'],
    ['04-logout-offline.json', 'LOGGED_OUT', 'LOGGED_OUT'],
    ['05-aws-doc-state-change-contact-ended-acw.derived.json', 'Available', 'VOICE_AFTER_CONTACT_WORK'],
    ['06-aws-doc-heart-beat-next-agent-status.derived.json', 'Available', 'Available'],
    ['extra/ebull53-state-change-redacted.json', 'Available', 'Available'],
    ['extra/unattributed-state-change-contact-error.derived.json', 'Available', 'Available'],
  ])('%s → status mode %s, contact mode %s', (file, statusCode, contactCode) => {
    const event = sample(file);
    expect(deriveStateCode(event, status)).toBe(statusCode);
    expect(deriveStateCode(event, contact)).toBe(contactCode);
  });

  it('uses the configured logged-out code for LOGOUT, whatever the snapshot says', () => {
    expect(deriveStateCode(sample('04-logout-offline.json'), { ...status, loggedOutStateCode: 'OFF' })).toBe('OFF');
  });

  it('reads the username from the current snapshot, trimmed, and none from a null snapshot', () => {
    expect(usernameOf(sample('02-state-change-available-to-break.json'))).toBe('christy.burkholder');
    expect(usernameOf(sample('01-login-null-snapshots.json'))).toBeUndefined();
    const e = sample('03-heart-beat-break.json');
    e.CurrentAgentSnapshot!.Configuration!.Username = '  padded.user ';
    expect(usernameOf(e)).toBe('padded.user');
  });
});

describe('deriveStateCode in contact mode (docs/state-codes.md)', () => {
  it.each(Object.entries(CONTACT_STATE_CODES).map(([state, { suffix }]) => [state, suffix]))(
    'a VOICE contact in %s → VOICE_%s',
    (state, suffix) => {
      expect(deriveStateCode(withContacts([{ Channel: 'VOICE', State: state }]), contact)).toBe(`VOICE_${suffix}`);
    },
  );

  it.each([
    [
      [
        { Channel: 'CHAT', State: 'ENDED' },
        { Channel: 'CHAT', State: 'CONNECTED' },
      ],
      'CHAT_ON_CONTACT',
    ],
    [
      [
        { Channel: 'CHAT', State: 'MISSED' },
        { Channel: 'TASK', State: 'CONNECTED_ONHOLD' },
      ],
      'TASK_ON_HOLD',
    ],
    [
      [
        { Channel: 'TASK', State: 'CONNECTED' },
        { Channel: 'VOICE', State: 'CONNECTED' },
      ],
      'VOICE_ON_CONTACT',
    ],
    [
      [
        { Channel: 'CHAT', State: 'CONNECTING' },
        { Channel: 'CHAT', State: 'ENDED' },
      ],
      'CHAT_AFTER_CONTACT_WORK',
    ],
    [[{ Channel: 'EMAIL', State: 'SOMETHING_NEW' }], 'EMAIL_SOMETHING_NEW'],
    [[{ Channel: 'VIDEO', State: 'CONNECTED' }], 'VIDEO_ON_CONTACT'],
  ])('picks the most significant of several contacts: %j → %s', (contacts, code) => {
    expect(deriveStateCode(withContacts(contacts), contact)).toBe(code);
  });

  it('falls back to the status name when the agent holds no contact, and ignores contacts in status mode', () => {
    expect(deriveStateCode(withContacts([], 'Lunch'), contact)).toBe('Lunch');
    expect(deriveStateCode(withContacts([{ Channel: 'VOICE', State: 'CONNECTED' }], 'Available'), status)).toBe(
      'Available',
    );
  });

  it('gives no state when the snapshot has no status name, and caps codes at 300 characters', () => {
    const e = withContacts([]);
    delete e.CurrentAgentSnapshot!.AgentStatus!.Name;
    expect(deriveStateCode(e, status)).toBeUndefined();
    expect(deriveStateCode(withContacts([], 'x'.repeat(400)), status)).toHaveLength(300);
  });

  it('caps on code points: a surrogate pair across the 300th unit is dropped whole, never split', () => {
    const code = deriveStateCode(withContacts([], 'x'.repeat(299) + '😀 more'), status)!;
    expect(code).toBe('x'.repeat(299));
    expect(Buffer.from(code, 'utf8').toString('utf8')).toBe(code);
  });
});
