/**
 * The part of a contact trace record (CTR) the historical feed uses: exactly the fields of the CSV layouts, the
 * de-duplication key and version, and what `aggregate` needs. Everything else in a CTR is validated as JSON and skipped.
 */
export interface CtrAgent {
  arn: string | null;
  username: string | null;
  afterContactWorkDuration: number | null;
  agentInteractionDuration: number | null;
  customerHoldDuration: number | null;
  connectedToAgentTimestamp: string | null;
}

export interface CtrQueue {
  arn: string | null;
  name: string | null;
  duration: number | null;
  enqueueTimestamp: string | null;
}

export interface CtrRecord {
  contactId: string;
  lastUpdateTimestamp: string | null;
  channel: string | null;
  initiationMethod: string | null;
  initiationTimestamp: string | null;
  disconnectTimestamp: string | null;
  transferCompletedTimestamp: string | null;
  /** null when the contact never reached an agent (key null or absent). */
  agent: CtrAgent | null;
  /** null when the contact was never queued (key null or absent). */
  queue: CtrQueue | null;
  systemEndpointAddress: string | null;
  transferredToEndpointAddress: string | null;
}
