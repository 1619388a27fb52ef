import { invalidRequest } from './connectApiErrors';

/** UserDataFilters as GetCurrentUserData accepts them (API Reference, UserDataFilters). */
export interface UserDataFilters {
  Queues?: string[];
  RoutingProfiles?: string[];
  Agents?: string[];
  UserHierarchyGroups?: string[];
  ContactFilter?: { ContactStates?: string[] };
}

export const MAX_FILTER_VALUES = 100;
export const MAX_CONTACT_STATES = 9;
const CONTACT_STATES = [
  'INCOMING',
  'PENDING',
  'CONNECTING',
  'CONNECTED',
  'CONNECTED_ONHOLD',
  'MISSED',
  'ERROR',
  'ENDED',
  'REJECTED',
];

export type FilterKind = 'Queues' | 'RoutingProfiles' | 'Agents' | 'UserHierarchyGroups';

/**
 * The documented rules, enforced: Filters is required; exactly one of Queues, RoutingProfiles, Agents (each 1..100
 * values) or UserHierarchyGroups (exactly 1); ContactFilter.ContactStates at most 9 known states. A violation is
 * 400 InvalidRequestException.
 */
export function validateFilters(filters: unknown): { kind: FilterKind; values: Set<string>; states?: Set<string> } {
  if (filters === null || typeof filters !== 'object' || Array.isArray(filters))
    throw invalidRequest('Filters is required');
  const f = filters as UserDataFilters;
  const kinds = (['Queues', 'RoutingProfiles', 'Agents', 'UserHierarchyGroups'] as const).filter(
    (k) => f[k] !== undefined,
  );
  if (kinds.length !== 1)
    throw invalidRequest(
      'Exactly one filter of Queues, RoutingProfiles, Agents or UserHierarchyGroups must be provided',
    );
  const kind = kinds[0]!;
  const values = f[kind];
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string' || v === ''))
    throw invalidRequest(`${kind} must be a list of ids or ARNs`);
  const max = kind === 'UserHierarchyGroups' ? 1 : MAX_FILTER_VALUES;
  if (values.length < 1 || values.length > max)
    throw invalidRequest(`${kind} accepts between 1 and ${max} values, got ${values.length}`);
  const states = f.ContactFilter?.ContactStates;
  if (states !== undefined) {
    if (!Array.isArray(states) || states.length > MAX_CONTACT_STATES || states.some((s) => !CONTACT_STATES.includes(s)))
      throw invalidRequest(`ContactFilter.ContactStates accepts at most ${MAX_CONTACT_STATES} known contact states`);
  }
  return { kind, values: new Set(values), states: states ? new Set(states) : undefined };
}
