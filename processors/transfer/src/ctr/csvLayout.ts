import type { CtrRecord } from './ctrRecord';

/**
 * The CSV contract. `standard` is byte-for-byte the 16-column header Teleopti's importer has always received
 * (docs/reference/connect-formats.md#csv-contract). `extended` appends the three fields the Teleopti data mapping needs
 * but the standard layout lacks (docs/reference/connect-formats.md#mapping-gaps, gap 1): use it only once Teleopti
 * confirms its parser tolerates extra columns.
 */
export const CSV_LAYOUTS = ['standard', 'extended'] as const;
export type CsvLayout = (typeof CSV_LAYOUTS)[number];

export type CellValue = string | number | null;

export interface CsvColumn {
  name: string;
  value(r: CtrRecord): CellValue;
}

/** The resource id after the last `/` of an ARN (prior-art contract); null stays null. */
export const arnId = (arn: string | null | undefined): string | null =>
  arn === null || arn === undefined ? null : arn.slice(arn.lastIndexOf('/') + 1);

const STANDARD: readonly CsvColumn[] = [
  { name: 'Agent_ARN', value: (r) => arnId(r.agent?.arn) },
  { name: 'Agent_AfterContactWorkDuration', value: (r) => r.agent?.afterContactWorkDuration ?? null },
  { name: 'Agent_AgentInteractionDuration', value: (r) => r.agent?.agentInteractionDuration ?? null },
  { name: 'Agent_CustomerHoldDuration', value: (r) => r.agent?.customerHoldDuration ?? null },
  { name: 'Agent_Username', value: (r) => r.agent?.username ?? null },
  { name: 'Channel', value: (r) => r.channel },
  { name: 'ContactID', value: (r) => r.contactId },
  { name: 'InitiationMethod', value: (r) => r.initiationMethod },
  { name: 'InitiationTimestamp', value: (r) => r.initiationTimestamp },
  { name: 'Queue_ARN', value: (r) => arnId(r.queue?.arn) },
  { name: 'Queue_Duration', value: (r) => r.queue?.duration ?? null },
  { name: 'Queue_EnqueueTimestamp', value: (r) => r.queue?.enqueueTimestamp ?? null },
  { name: 'Queue_Name', value: (r) => r.queue?.name ?? null },
  { name: 'SystemEndpoint_Address', value: (r) => r.systemEndpointAddress },
  { name: 'TransferCompletedTimestamp', value: (r) => r.transferCompletedTimestamp },
  { name: 'TransferredToEndpoint', value: (r) => r.transferredToEndpointAddress },
];

/** The re-delivery version column: excluded from de-duplication fingerprints (it changes on every re-delivery). */
export const LAST_UPDATE_COLUMN = 'LastUpdateTimestamp';

const EXTENDED: readonly CsvColumn[] = [
  ...STANDARD,
  { name: 'Agent_ConnectedToAgentTimestamp', value: (r) => r.agent?.connectedToAgentTimestamp ?? null },
  { name: 'DisconnectTimestamp', value: (r) => r.disconnectTimestamp },
  { name: LAST_UPDATE_COLUMN, value: (r) => r.lastUpdateTimestamp },
];

export const LAYOUT_COLUMNS: Record<CsvLayout, readonly CsvColumn[]> = { standard: STANDARD, extended: EXTENDED };
