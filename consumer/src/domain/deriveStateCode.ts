import type { StateMode } from '../../../common/config/rtaConfig';
import { AgentEventType, type AgentContact, type AgentEvent } from './agentEvent';

export interface StateCodeOptions {
  stateMode: StateMode;
  loggedOutStateCode: string;
}

/** Teleopti rejects state codes over 300 characters (docs/reference/teleopti-rta-api.md#field-rules). */
export const MAX_STATE_CODE_LENGTH = 300;

/**
 * `contact` mode: the suffix for each contact state, and its precedence when an agent holds several contacts
 * (chats, tasks). A live conversation outranks hold, hold outranks ACW, ACW outranks a ringing offer, and a
 * missed or failed offer shows only when nothing else is going on. Unknown states (new enum values) pass through
 * as `<CHANNEL>_<STATE>` at the lowest precedence. Documented in docs/state-codes.md.
 */
export const CONTACT_STATE_CODES: Readonly<Record<string, { suffix: string; rank: number }>> = {
  CONNECTED: { suffix: 'ON_CONTACT', rank: 1 },
  CONNECTED_ONHOLD: { suffix: 'ON_HOLD', rank: 2 },
  PAUSED: { suffix: 'PAUSED', rank: 3 },
  ENDED: { suffix: 'AFTER_CONTACT_WORK', rank: 4 },
  CONNECTING: { suffix: 'INCOMING', rank: 5 },
  INCOMING: { suffix: 'INCOMING', rank: 5 },
  PENDING: { suffix: 'INCOMING', rank: 5 },
  MISSED: { suffix: 'MISSED', rank: 6 },
  REJECTED: { suffix: 'MISSED', rank: 6 },
  ERROR: { suffix: 'ERROR', rank: 7 },
};
const UNKNOWN_STATE_RANK = 8;
const CHANNEL_ORDER = ['VOICE', 'CHAT', 'TASK', 'EMAIL'];

/** The Connect username of the event's current snapshot, trimmed; undefined when the snapshot carries none. */
export function usernameOf(event: AgentEvent): string | undefined {
  const name = event.CurrentAgentSnapshot?.Configuration?.Username;
  const trimmed = typeof name === 'string' ? name.trim() : '';
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The Teleopti StateCode an event puts the agent in, or undefined when the event does not say (a LOGIN with a null
 * snapshot, a snapshot without a status name).
 * - LOGOUT → the configured logged-out code, whatever the snapshot says.
 * - `status` mode → `AgentStatus.Name` (Teleopti's original requirement).
 * - `contact` mode → the most significant contact's `<CHANNEL>_<SUFFIX>` (table above), else the status name.
 */
export function deriveStateCode(event: AgentEvent, options: StateCodeOptions): string | undefined {
  if (event.EventType === AgentEventType.LOGOUT) return options.loggedOutStateCode;
  const snapshot = event.CurrentAgentSnapshot;
  if (!snapshot) return undefined;
  const name = snapshot.AgentStatus?.Name;
  const status = typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
  if (options.stateMode === 'contact') {
    const contact = mostSignificantContact(snapshot.Contacts);
    if (contact) return limit(contactStateCode(contact));
  }
  return status === undefined ? undefined : limit(status);
}

function contactStateCode(contact: AgentContact): string {
  const channel = (contact.Channel ?? 'UNKNOWN').toUpperCase();
  const state = (contact.State ?? 'UNKNOWN').toUpperCase();
  return `${channel}_${CONTACT_STATE_CODES[state]?.suffix ?? state}`;
}

function mostSignificantContact(contacts: AgentContact[] | null | undefined): AgentContact | undefined {
  if (!Array.isArray(contacts) || contacts.length === 0) return undefined;
  let best: AgentContact | undefined;
  let bestKey = Infinity;
  for (const c of contacts) {
    if (c === null || typeof c !== 'object') continue;
    const rank = CONTACT_STATE_CODES[(c.State ?? '').toUpperCase()]?.rank ?? UNKNOWN_STATE_RANK;
    const channel = CHANNEL_ORDER.indexOf((c.Channel ?? '').toUpperCase());
    const key = rank * 100 + (channel < 0 ? CHANNEL_ORDER.length : channel);
    if (key < bestKey) {
      best = c;
      bestKey = key;
    }
  }
  return best;
}

/** Cut on a code point: half a surrogate pair would reach WFM as U+FFFD. */
const limit = (code: string): string => {
  if (code.length <= MAX_STATE_CODE_LENGTH) return code;
  const last = code.charCodeAt(MAX_STATE_CODE_LENGTH - 1);
  return code.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_STATE_CODE_LENGTH - 1 : MAX_STATE_CODE_LENGTH);
};
