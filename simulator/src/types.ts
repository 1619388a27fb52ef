import type { ContactTraceRecord, StreamAgentEvent } from './connectShapes';

/** One thing the simulated instance publishes, at its simulated time. */
export type SimulatedOutput =
  | { kind: 'agent-event'; timeMillis: number; event: StreamAgentEvent }
  | { kind: 'ctr'; timeMillis: number; record: ContactTraceRecord };

export interface SimulationOptions {
  agents: number;
  /** Simulated time span; every agent works one shift inside it. */
  durationMillis: number;
  /** Simulated start (epoch ms). */
  startMillis: number;
  seed: number;
  /** Contacts offered per available agent-hour (inbound arrivals plus outbound dials). */
  contactsPerAgentHour: number;
  region?: string;
}

export const DEFAULT_CONTACTS_PER_AGENT_HOUR = 9;
