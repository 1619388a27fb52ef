/**
 * The Amazon Connect Agent Event Stream model, as far as this product reads it.
 * Every field is optional or nullable where real data shows it can be (docs/reference/connect-formats.md#agent-events):
 * 2018 events have null snapshots and no AgentStatus.Type; enums are open (new values appear).
 */
export const AgentEventType = {
  LOGIN: 'LOGIN',
  LOGOUT: 'LOGOUT',
  STATE_CHANGE: 'STATE_CHANGE',
  HEART_BEAT: 'HEART_BEAT',
} as const;

export interface AgentStatus {
  ARN?: string;
  Name?: string;
  StartTimestamp?: string;
  /** ROUTABLE | CUSTOM | OFFLINE (absent before 2019). */
  Type?: string;
}

export interface AgentContact {
  ContactId?: string;
  /** VOICE | CHAT | TASK | EMAIL | … (open). */
  Channel?: string;
  InitiationMethod?: string;
  /** INCOMING | PENDING | CONNECTING | CONNECTED | CONNECTED_ONHOLD | PAUSED | MISSED | REJECTED | ERROR | ENDED | … */
  State?: string;
  StateStartTimestamp?: string;
}

export interface AgentSnapshot {
  AgentStatus?: AgentStatus | null;
  NextAgentStatus?: { Name?: string; ARN?: string; EnqueuedTimestamp?: string; EnqueueTimestamp?: string } | null;
  Configuration?: { Username?: string; FirstName?: string; LastName?: string } | null;
  Contacts?: AgentContact[] | null;
}

export interface AgentEvent {
  AgentARN: string;
  EventId: string;
  /** LOGIN | LOGOUT | STATE_CHANGE | HEART_BEAT, or a future type (kept, not rejected). */
  EventType: string;
  EventTimestamp: string;
  CurrentAgentSnapshot?: AgentSnapshot | null;
  PreviousAgentSnapshot?: AgentSnapshot | null;
  AWSAccountId?: string;
  InstanceARN?: string;
  Version?: string;
}
