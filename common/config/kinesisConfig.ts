import { z } from 'zod';
import { type Env, enumFrom, intFrom, optionalString, parseSection } from './env';

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

const schema = z
  .object({
    KINESIS_STREAM_ARN: optionalString.pipe(z.string().regex(STREAM_ARN, 'must be a Kinesis stream ARN').optional()),
    KINESIS_STREAM_NAME: optionalString,
    AWS_REGION: optionalString,
    AWS_DEFAULT_REGION: optionalString,
    AWS_ENDPOINT_URL_KINESIS: optionalString.pipe(
      z
        .string()
        .regex(/^https?:\/\//, 'must be an http(s) URL')
        .optional(),
    ),
    KINESIS_POLL_INTERVAL_MS: intFrom(500, 200, 60000),
    KINESIS_MAX_RECORDS: intFrom(10000, 1, 10000),
    KINESIS_INITIAL_LOOKBACK_MS: intFrom(24 * 3600 * 1000, 0, 365 * 24 * 3600 * 1000),
    KINESIS_SHARD_SYNC_INTERVAL_MS: intFrom(10000, 100, 3600 * 1000),
    KCL_RETRIEVAL_MODE: enumFrom([...RETRIEVAL_MODES], 'polling'),
    KCL_WORKER_ID: optionalString,
    ECS_CONTAINER_METADATA_URI_V4: optionalString,
  })
  .transform((e) => {
    let streamName = e.KINESIS_STREAM_NAME;
    let region = e.AWS_REGION ?? e.AWS_DEFAULT_REGION;
    if (e.KINESIS_STREAM_ARN) {
      const m = STREAM_ARN.exec(e.KINESIS_STREAM_ARN);
      if (m) {
        // The ARN wins, as it does in KCL (streamArn overwrites streamName).
        streamName = m[2];
        region ??= m[1];
      }
    }
    const config: KinesisConfig = {
      streamName,
      streamArn: e.KINESIS_STREAM_ARN,
      region: region ?? 'us-east-1',
      endpoint: e.AWS_ENDPOINT_URL_KINESIS,
      pollIntervalMillis: e.KINESIS_POLL_INTERVAL_MS,
      maxRecords: e.KINESIS_MAX_RECORDS,
      initialLookbackMillis: e.KINESIS_INITIAL_LOOKBACK_MS,
      shardSyncIntervalMillis: e.KINESIS_SHARD_SYNC_INTERVAL_MS,
      retrievalMode: e.KCL_RETRIEVAL_MODE,
      workerId: e.KCL_WORKER_ID,
      ecsMetadataUri: e.ECS_CONTAINER_METADATA_URI_V4,
    };
    return config;
  });

export const readKinesisConfig = (env: Env): KinesisConfig => parseSection(schema, env);
