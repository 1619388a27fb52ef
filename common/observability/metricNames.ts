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
  ConnectApiCalls: 'Count',
  ConnectThrottled: 'Count',
  ConnectUnknownUsers: 'Count',
  AgentsReconciled: 'Count',
  ObjectsTransferred: 'Count',
  TransferFailures: 'Count',
  CtrRecordsConverted: 'Count',
  CtrRecordsQuarantined: 'Count',
  CtrDuplicatesSkipped: 'Count',
  DuplicateObjectsSkipped: 'Count',
};
