import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisConfig } from '../../../common/config/kinesisConfig';
import { type CheckResult, fail, pass, skip } from '../CheckResult';
import { describeAwsError, remedyFor } from '../describeAwsError';

/** Direct mode reads every shard from one task; beyond this many shards per task, add tasks (KCL balances leases). */
export const SHARDS_PER_TASK = 8;

export const suggestedTaskCount = (openShards: number): number => Math.max(1, Math.ceil(openShards / SHARDS_PER_TASK));

/**
 * The agent event stream: exists and is ACTIVE, its shards and encryption, and that this identity can actually read
 * it (an iterator at LATEST and one GetRecords call: reads nothing old, consumes nothing).
 */
export async function checkKinesisStream(config: KinesisConfig, kinesis: KinesisClient): Promise<CheckResult[]> {
  const stream = config.streamName;
  if (!stream)
    return [
      skip(
        'kinesis stream',
        'KINESIS_STREAM_NAME / KINESIS_STREAM_ARN not set: the RTA feed is not configured here',
        'set KINESIS_STREAM_ARN to check the agent event stream',
      ),
    ];
  const id = config.streamArn ? { StreamARN: config.streamArn } : { StreamName: stream };
  let openShards: string[];
  try {
    const summary = (await kinesis.send(new DescribeStreamSummaryCommand(id))).StreamDescriptionSummary;
    const status = summary?.StreamStatus ?? 'UNKNOWN';
    if (status !== 'ACTIVE' && status !== 'UPDATING')
      return [
        fail('kinesis stream', `stream ${stream} is ${status}`, 'wait until the stream is ACTIVE (or recreate it)'),
      ];
    const shards =
      (
        await kinesis.send(
          new ListShardsCommand(config.streamArn ? { StreamARN: config.streamArn } : { StreamName: stream }),
        )
      ).Shards ?? [];
    openShards = shards.filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber).map((s) => s.ShardId!);
    const encryption =
      summary?.EncryptionType === 'KMS'
        ? `encrypted with KMS key ${summary.KeyId ?? '(unknown)'}`
        : 'not encrypted (SSE off)';
    const tasks = suggestedTaskCount(openShards.length);
    const results = [
      pass(
        'kinesis stream',
        `${stream} in ${config.region} is ${status}, ${openShards.length} open shard(s), ${encryption}, retention ${summary?.RetentionPeriodHours ?? '?'} h; suggested consumer tasks: ${tasks} (1 task per ${SHARDS_PER_TASK} shards)`,
      ),
    ];
    results.push(
      await checkReadable(kinesis, stream, config.streamArn, openShards[0], summary?.EncryptionType === 'KMS'),
    );
    return results;
  } catch (error) {
    const f = describeAwsError(error);
    return [
      fail(
        'kinesis stream',
        f.kind === 'not-found'
          ? `stream ${stream} not found in ${config.region} (${f.message})`
          : `cannot describe ${stream}: ${f.message}`,
        remedyFor(
          f,
          'kinesis:DescribeStreamSummary and kinesis:ListShards',
          'check KINESIS_STREAM_ARN / KINESIS_STREAM_NAME and AWS_REGION, and that Amazon Connect streams agent events to it',
        ),
      ),
    ];
  }
}

async function checkReadable(
  kinesis: KinesisClient,
  stream: string,
  arn: string | undefined,
  shardId: string | undefined,
  encrypted: boolean,
): Promise<CheckResult> {
  if (!shardId)
    return fail(
      'kinesis read',
      `stream ${stream} has no open shard`,
      'check the stream (it must have at least one open shard)',
    );
  try {
    const it = await kinesis.send(
      new GetShardIteratorCommand({
        ...(arn ? { StreamARN: arn } : { StreamName: stream }),
        ShardId: shardId,
        ShardIteratorType: 'LATEST',
      }),
    );
    await kinesis.send(
      new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 1, ...(arn ? { StreamARN: arn } : {}) }),
    );
    return pass(
      'kinesis read',
      `GetShardIterator + GetRecords on ${shardId} succeeded${encrypted ? ' (kms:Decrypt allowed)' : ''}`,
    );
  } catch (error) {
    const f = describeAwsError(error);
    return fail(
      'kinesis read',
      `cannot read ${stream}/${shardId}: ${f.message}`,
      remedyFor(f, 'kinesis:GetShardIterator and kinesis:GetRecords', 'check the stream name'),
    );
  }
}
