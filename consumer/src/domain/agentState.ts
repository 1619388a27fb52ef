/**
 * The domain's values: a record as any runtime hands it in, an agent's derived state, what WFM acknowledged.
 * Runtimes push SourceRecords in and checkpoint only up to what `acknowledged(sourceId)` reports.
 */

/** One Kinesis record as any runtime sees it. `data` is bytes, or base64 text as MultiLang delivers it. */
export interface SourceRecord {
  /** The shard id (or a replay file name): acknowledgements are reported per source. */
  sourceId: string;
  /** Kinesis sequence number: a decimal string of up to 129 digits, never a JS number. */
  sequenceNumber: string;
  data: Uint8Array | string;
}

/** The state of one agent as derived from its newest applied event. */
export interface AgentState {
  /** Teleopti UserCode: the Connect username. */
  userCode: string;
  /**
   * Teleopti StateCode (≤ 300 chars). Undefined when the event moved the agent without naming a state (a LOGIN with
   * null snapshots): nothing is posted, but its login status and position are recorded once acknowledged.
   */
  stateCode: string | undefined;
  /** Logged out (LOGOUT, or a heartbeat after one): restored after a restart so later heartbeats stay logged out. */
  loggedOut: boolean;
  agentArn: string;
  /** EventTimestamp of the event that produced this state, epoch ms. */
  eventTimeMillis: number;
  sourceId: string;
  sequenceNumber: string;
}

/** What WFM has acknowledged for one agent: the last delivered state. Persisted with checkpoints. */
export interface DeliveredState {
  userCode: string;
  stateCode: string;
  agentArn: string;
  /** EventTimestamp of the newest acknowledged event of this agent: a restart ignores replayed events before it. */
  eventTimeMillis: number;
  /** The agent's login status as of that event (absent in stores written before it was kept). */
  loggedOut?: boolean;
  /**
   * A post carrying this code had an unknown outcome (timeout, reset, 5xx): WFM may hold it instead of `stateCode`,
   * so the agent's current state is re-sent with the next successful post even if it equals `stateCode`.
   */
  uncertain?: string;
  /** The shard whose records produced it (a KCL child restores only its own shard's agents). */
  sourceId?: string;
}

/** Emitted whenever WFM has acknowledged every state resulting from a source's records up to `sequenceNumber`. */
export interface Acknowledgement {
  sourceId: string;
  sequenceNumber: string;
}

/** The sourceId of states that come from Amazon Connect rather than from a shard. */
export const CONNECT_SOURCE = 'amazon-connect';
