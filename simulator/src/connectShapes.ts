/**
 * The exact shapes Amazon Connect publishes (docs/reference/connect-formats.md#agent-events,
 * docs/reference/connect-formats.md#contact-records), as the simulator writes them. Keys are declared (and emitted)
 * in the alphabetical order AWS's own samples use.
 */
export interface ArnName {
  ARN: string;
  Name: string | null;
}

export interface ConnectQueue extends ArnName {
  Channels: string[];
}

export interface RoutingProfileConfig {
  ARN: string;
  Concurrency: { AvailableSlots: number; Channel: string; MaximumSlots: number }[];
  DefaultOutboundQueue: ConnectQueue;
  InboundQueues: ConnectQueue[];
  Name: string;
}

export interface HierarchyLevels<T> {
  Level1: T | null;
  Level2: T | null;
  Level3: T | null;
  Level4: T | null;
  Level5: T | null;
}

export interface StreamContact {
  Channel: string;
  ConnectedToAgentTimestamp: string | null;
  ContactId: string;
  InitialContactId: string | null;
  InitiationMethod: string;
  Queue: ArnName;
  QueueTimestamp: string | null;
  State: string;
  StateStartTimestamp: string;
}

export interface StreamAgentSnapshot {
  AgentStatus: { ARN: string; Name: string; StartTimestamp: string; Type: string };
  Configuration: {
    AgentHierarchyGroups: HierarchyLevels<ArnName> | null;
    FirstName: string;
    LastName: string;
    RoutingProfile: RoutingProfileConfig;
    Username: string;
  };
  Contacts: StreamContact[];
  NextAgentStatus: { ARN: string; EnqueuedTimestamp: string; Name: string } | null;
}

export interface StreamAgentEvent {
  AWSAccountId: string;
  AgentARN: string;
  CurrentAgentSnapshot: StreamAgentSnapshot | null;
  EventId: string;
  EventTimestamp: string;
  EventType: 'LOGIN' | 'LOGOUT' | 'STATE_CHANGE' | 'HEART_BEAT';
  InstanceARN: string;
  PreviousAgentSnapshot: StreamAgentSnapshot | null;
  Version: string;
}

export interface Endpoint {
  Address: string;
  Type: string;
}

export interface ContactTraceRecord {
  AWSAccountId: string;
  AWSContactTraceRecordFormatVersion: '2017-03-10';
  Agent: {
    ARN: string;
    AfterContactWorkDuration: number;
    AfterContactWorkEndTimestamp: string;
    AfterContactWorkStartTimestamp: string;
    AgentInteractionDuration: number;
    ConnectedToAgentTimestamp: string;
    CustomerHoldDuration: number;
    HierarchyGroups: HierarchyLevels<{ ARN: string; GroupName: string }> | null;
    LongestHoldDuration: number;
    NumberOfHolds: number;
    RoutingProfile: { ARN: string; Name: string };
    Username: string;
  } | null;
  AgentConnectionAttempts: number;
  AnsweringMachineDetectionStatus: null;
  Attributes: Record<string, string>;
  Campaign: { CampaignId: null };
  Channel: string;
  ConnectedToSystemTimestamp: string | null;
  ContactDetails: Record<string, never>;
  ContactId: string;
  CustomerEndpoint: Endpoint | null;
  DisconnectReason: string | null;
  DisconnectTimestamp: string;
  InitialContactId: string | null;
  InitiationMethod: string;
  InitiationTimestamp: string;
  InstanceARN: string;
  LastUpdateTimestamp: string;
  MediaStreams: { Type: string }[];
  NextContactId: string | null;
  PreviousContactId: string | null;
  Queue: {
    ARN: string;
    DequeueTimestamp: string;
    Duration: number;
    EnqueueTimestamp: string;
    Name: string;
  } | null;
  Recording: null;
  Recordings: [];
  References: [];
  ScheduledTimestamp: null;
  SystemEndpoint: Endpoint | null;
  TransferCompletedTimestamp: string | null;
  TransferredToEndpoint: Endpoint | null;
  VoiceIdResult: null;
}

/** Agent events carry milliseconds; CTRs whole seconds (docs/reference/connect-formats.md#contact-records). */
export const isoMillis = (ms: number): string => new Date(Math.round(ms)).toISOString();
export const isoSeconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
