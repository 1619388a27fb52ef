/**
 * Builders for contact trace records in the exact Amazon Connect shape
 * (docs/reference/connect-formats.md#contact-records), modelled on test/fixtures/events/ctr/01-*.json. Synthetic: ids
 * and numbers are made up.
 */
export type CtrJson = Record<string, unknown>;

export const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/258252ea-967d-46f9-a510-b7f0bae69eea';

export interface CtrOptions {
  contactId?: string;
  lastUpdateTimestamp?: string;
  username?: string;
  agentId?: string;
  queueId?: string;
  queueName?: string;
  /** Seconds in queue. */
  queueDuration?: number;
  enqueueTimestamp?: string;
  /** null: abandoned (no agent). */
  connectedToAgentTimestamp?: string | null;
  talkSeconds?: number;
  holdSeconds?: number;
  acwSeconds?: number;
  disconnectTimestamp?: string;
  initiationTimestamp?: string;
  transferredTo?: string | null;
  transferCompletedTimestamp?: string | null;
  systemEndpoint?: string | null;
  channel?: string;
  attributes?: Record<string, string>;
}

/** A complete CTR; with `connectedToAgentTimestamp: null` the contact was queued and abandoned (Agent null). */
export function ctrFactory(o: CtrOptions = {}): CtrJson {
  const contactId = o.contactId ?? '6fe40d2a-1a89-4d73-bfcf-5d9c33894f47';
  const answered = o.connectedToAgentTimestamp !== null;
  const agentId = o.agentId ?? 'e7c9afb6-b1e1-4afa-b5b5-d1c9bc752b69';
  const queueId = o.queueId ?? '078ccbaa-ae69-4bf9-84bc-5c60ca9b1478';
  const initiation = o.initiationTimestamp ?? '2022-01-05T17:12:59Z';
  const enqueue = o.enqueueTimestamp ?? '2022-01-05T17:14:46Z';
  const connected = o.connectedToAgentTimestamp ?? '2022-01-05T17:20:32Z';
  return {
    AWSAccountId: '123456789012',
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    Agent: answered
      ? {
          ARN: `${INSTANCE_ARN}/agent/${agentId}`,
          AfterContactWorkDuration: o.acwSeconds ?? 5,
          AfterContactWorkEndTimestamp: '2022-01-05T17:28:17Z',
          AfterContactWorkStartTimestamp: '2022-01-05T17:28:12Z',
          AgentInteractionDuration: o.talkSeconds ?? 239,
          ConnectedToAgentTimestamp: connected,
          CustomerHoldDuration: o.holdSeconds ?? 221,
          HierarchyGroups: {
            Level1: { ARN: `${INSTANCE_ARN}/agent-group/bf0c4e88-50bd-4bb9-823c-8650c630cf87`, GroupName: 'TCC' },
            Level2: { ARN: `${INSTANCE_ARN}/agent-group/647c7f7d-250b-426a-a0a3-1c1b5c43841d`, GroupName: 'TCC ALL' },
            Level3: null,
            Level4: null,
            Level5: null,
          },
          LongestHoldDuration: 204,
          NumberOfHolds: 2,
          RoutingProfile: {
            ARN: `${INSTANCE_ARN}/routing-profile/304e0036-2322-45fd-80c4-c97e184c388b`,
            Name: 'TCC ALL',
          },
          Username: o.username ?? 'Steve.Lusk',
        }
      : null,
    AgentConnectionAttempts: answered ? 1 : 0,
    AnsweringMachineDetectionStatus: null,
    Attributes: o.attributes ?? {
      Acct_Code: '',
      AtcResult: 'N',
      CodeNum: '0',
      PathCode: '8477597_002_00002',
      SurveyFlag: 'N',
      SurveyPlay: 'All',
      TodayContact: 'Y',
      Type_Flag: '',
      ewtcheck: 'Y',
    },
    Campaign: { CampaignId: null },
    Channel: o.channel ?? 'VOICE',
    ConnectedToSystemTimestamp: initiation,
    ContactDetails: {},
    ContactId: contactId,
    CustomerEndpoint: { Address: '+190011112222', Type: 'TELEPHONE_NUMBER' },
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    DisconnectTimestamp: o.disconnectTimestamp ?? '2022-01-05T17:47:28Z',
    InitialContactId: null,
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: initiation,
    InstanceARN: INSTANCE_ARN,
    LastUpdateTimestamp: o.lastUpdateTimestamp ?? '2022-01-05T17:48:35Z',
    MediaStreams: [{ Type: 'AUDIO' }],
    NextContactId: null,
    PreviousContactId: null,
    Queue: {
      ARN: `${INSTANCE_ARN}/queue/${queueId}`,
      DequeueTimestamp: connected,
      Duration: o.queueDuration ?? 346,
      EnqueueTimestamp: enqueue,
      Name: o.queueName ?? 'TCC Refrig AC LLA',
    },
    Recording: answered
      ? {
          DeletionReason: null,
          Location: `amazon-connect-b278e465e71c/connect/lgeai/CallRecordings/2022/01/05/${contactId}_20220105T17:20_UTC.wav`,
          Status: 'AVAILABLE',
          Type: 'AUDIO',
        }
      : null,
    Recordings: answered
      ? [
          {
            DeletionReason: null,
            FragmentStartNumber: null,
            FragmentStopNumber: null,
            Location: `amazon-connect-b278e465e71c/connect/lgeai/CallRecordings/2022/01/05/${contactId}_20220105T17:20_UTC.wav`,
            MediaStreamType: 'AUDIO',
            ParticipantType: null,
            StartTimestamp: null,
            Status: 'AVAILABLE',
            StopTimestamp: null,
            StorageType: 'S3',
          },
        ]
      : null,
    References: [],
    ScheduledTimestamp: null,
    SystemEndpoint:
      o.systemEndpoint === null ? null : { Address: o.systemEndpoint ?? '+18003335555', Type: 'TELEPHONE_NUMBER' },
    TransferCompletedTimestamp: o.transferCompletedTimestamp === undefined ? null : o.transferCompletedTimestamp,
    TransferredToEndpoint:
      o.transferredTo === undefined || o.transferredTo === null
        ? null
        : { Address: o.transferredTo, Type: 'TELEPHONE_NUMBER' },
    VoiceIdResult: null,
  };
}

/** Firehose's default S3 format: records concatenated with no delimiter. */
export const concatenated = (records: readonly CtrJson[], separator = ''): string =>
  records.map((r) => JSON.stringify(r)).join(separator);
