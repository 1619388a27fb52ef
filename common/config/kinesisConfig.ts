import { type Env, EnvReader } from './env';

export const RETRIEVAL_MODES = ['polling', 'fanout'] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];

/** Where the agent event stream is and how it is read (direct mode reader and the KCL properties). */
export interface KinesisConfig {
  /** Stream name (from KINESIS_STREAM_NAME, or the resource part of KINESIS_STREAM_ARN). */
  streamName: string | undefined;
  streamArn: string | undefined;
  region: string;
  /** AWS_ENDPOINT_URL_KINESIS: set only against an emulator; switches the client to HTTP/1.1. */
  endpoint: string | undefined;
  /** Pause between GetRecords calls of one shard once it is at the tip (≥ 200 ms: 5 reads/s/shard shared by all). */
  pollIntervalMillis: number;
  /** GetRecords Limit. */
  maxRecords: number;
  /** First start (no checkpoint): read from now − this (AT_TIMESTAMP), never further back. */
  initialLookbackMillis: number;
  /** How often the direct reader re-lists shards to discover resharding. */
  shardSyncIntervalMillis: number;
  /** KCL mode: POLLING (default, shared throughput) or FANOUT (enhanced fan-out, extra cost). */
  retrievalMode: RetrievalMode;
  /** KCL workerId override; by default the ECS task id, else the host name. */
  workerId: string | undefined;
  /** ECS_CONTAINER_METADATA_URI_V4 (set by ECS): the task id is the default workerId. */
  ecsMetadataUri: string | undefined;
}

const STREAM_ARN = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):\d{12}:stream\/([A-Za-z0-9_.-]{1,128})$/;

export function readKinesisConfig(env: Env): KinesisConfig {
  const vars = new EnvReader(env);
  const streamArn = vars.matches('KINESIS_STREAM_ARN', STREAM_ARN, 'must be a Kinesis stream ARN');
  const arn = STREAM_ARN.exec(streamArn ?? '');
  const config: KinesisConfig = {
    // The ARN wins, as it does in KCL (streamArn overwrites streamName).
    streamName: arn?.[2] ?? vars.string('KINESIS_STREAM_NAME'),
    streamArn,
    region: vars.string('AWS_REGION') ?? vars.string('AWS_DEFAULT_REGION') ?? arn?.[1] ?? 'us-east-1',
    endpoint: vars.matches('AWS_ENDPOINT_URL_KINESIS', /^https?:\/\//, 'must be an http(s) URL'),
    pollIntervalMillis: vars.int('KINESIS_POLL_INTERVAL_MS', 500, 200, 60000),
    maxRecords: vars.int('KINESIS_MAX_RECORDS', 10000, 1, 10000),
    initialLookbackMillis: vars.int('KINESIS_INITIAL_LOOKBACK_MS', 24 * 3600 * 1000, 0, 365 * 24 * 3600 * 1000),
    shardSyncIntervalMillis: vars.int('KINESIS_SHARD_SYNC_INTERVAL_MS', 10000, 100, 3600 * 1000),
    retrievalMode: vars.oneOf('KCL_RETRIEVAL_MODE', RETRIEVAL_MODES, 'polling'),
    workerId: vars.string('KCL_WORKER_ID'),
    ecsMetadataUri: vars.string('ECS_CONTAINER_METADATA_URI_V4'),
  };
  vars.done();
  return config;
}
