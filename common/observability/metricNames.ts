/**
 * Every metric the product emits, in one place. Dashboards and alarms (infra/terraform) are checked against this
 * module by a test, so a renamed metric cannot silently break a graph or an alarm.
 */
export const METRICS_NAMESPACE = 'ConnectWfm';

/** The RTA consumer (ECS task or kcl-processor child). */
export const ConsumerMetric = {
  MillisBehindLatest: 'MillisBehindLatest',
  RecordsProcessed: 'RecordsProcessed',
  MalformedRecords: 'MalformedRecords',
  StatesPosted: 'StatesPosted',
  PostLatency: 'PostLatency',
  PostFailures: 'PostFailures',
  AgentsTracked: 'AgentsTracked',
  CheckpointAgeSeconds: 'CheckpointAgeSeconds',
  OpenShardCount: 'OpenShardCount',
  /** Agents whose Connect username Teleopti cannot store (control characters, over 50 characters): not posted. */
  InvalidUserCodes: 'InvalidUserCodes',
  /** Agents an older Teleopti answered 400 `No person found for UserCode …` for (counted once per agent). */
  UnknownUserCodes: 'UnknownUserCodes',
  /** Agents a re-send or snapshot moved off a state WFM may have held after an unknown outcome (drift repaired). */
  DriftCorrected: 'DriftCorrected',
  /** Agents evicted from memory after not being seen for AGENT_EVICT_AFTER_HOURS. */
  AgentsEvicted: 'AgentsEvicted',
  /** Amazon Connect API calls (dimension `call`), throttled answers, and agents corrected from Connect. */
  ConnectApiCalls: 'ConnectApiCalls',
  ConnectThrottled: 'ConnectThrottled',
  ConnectUnknownUsers: 'ConnectUnknownUsers',
  AgentsReconciled: 'AgentsReconciled',
} as const;

/** The historical-feed transfer Lambda. */
export const TransferMetric = {
  ObjectsTransferred: 'ObjectsTransferred',
  TransferFailures: 'TransferFailures',
  CtrRecordsConverted: 'CtrRecordsConverted',
  CtrRecordsQuarantined: 'CtrRecordsQuarantined',
  CtrDuplicatesSkipped: 'CtrDuplicatesSkipped',
  /** Of the quarantined records: well-formed JSON whose bytes are not UTF-8 (the text rule). */
  CtrInvalidUtf8Quarantined: 'CtrInvalidUtf8Quarantined',
  /** Control characters and lone surrogates replaced by U+FFFD in exported values (the text rule). */
  CtrControlCharactersReplaced: 'CtrControlCharactersReplaced',
  DuplicateObjectsSkipped: 'DuplicateObjectsSkipped',
} as const;

export type ConsumerMetricName = (typeof ConsumerMetric)[keyof typeof ConsumerMetric];
export type TransferMetricName = (typeof TransferMetric)[keyof typeof TransferMetric];
export type MetricName = ConsumerMetricName | TransferMetricName;

export const ALL_METRIC_NAMES: readonly MetricName[] = [
  ...Object.values(ConsumerMetric),
  ...Object.values(TransferMetric),
];

/** CloudWatch units per metric, for the embedded metric format. */
export const METRIC_UNITS: Record<MetricName, 'Count' | 'Milliseconds' | 'Seconds'> = {
  MillisBehindLatest: 'Milliseconds',
  RecordsProcessed: 'Count',
  MalformedRecords: 'Count',
  StatesPosted: 'Count',
  PostLatency: 'Milliseconds',
  PostFailures: 'Count',
  AgentsTracked: 'Count',
  CheckpointAgeSeconds: 'Seconds',
  OpenShardCount: 'Count',
  InvalidUserCodes: 'Count',
  UnknownUserCodes: 'Count',
  DriftCorrected: 'Count',
  AgentsEvicted: 'Count',
  ConnectApiCalls: 'Count',
  ConnectThrottled: 'Count',
  ConnectUnknownUsers: 'Count',
  AgentsReconciled: 'Count',
  ObjectsTransferred: 'Count',
  TransferFailures: 'Count',
  CtrRecordsConverted: 'Count',
  CtrRecordsQuarantined: 'Count',
  CtrDuplicatesSkipped: 'Count',
  CtrInvalidUtf8Quarantined: 'Count',
  CtrControlCharactersReplaced: 'Count',
  DuplicateObjectsSkipped: 'Count',
};
