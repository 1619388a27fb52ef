import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { errorMessage } from '../../../../common/errors';
import type { Logger } from '../../../../common/logging/logger';
import type { ProcessRecordsInput, StartingPosition } from '../types';
import type { StreamRef } from './ShardLister';
import { isAbort, isExpiredIterator, isThrottling } from './kinesisErrors';

/** Kinesis allows 5 GetRecords calls per second per shard: never call more often than this. */
export const MIN_MILLIS_BETWEEN_GET_RECORDS = 200;
const MAX_BACKOFF_MILLIS = 10000;

export interface ShardConsumerOptions {
  client: KinesisClient;
  stream: StreamRef;
  shardId: string;
  start: StartingPosition;
  /** Called with every batch, in order; must not throw. */
  processRecords: (input: ProcessRecordsInput) => void;
  /** Pause between reads once at the tip (a full read is followed by the next one after the minimum gap). */
  pollIntervalMillis: number;
  maxRecords: number;
  logger: Logger;
  signal: AbortSignal;
  onThrottled?: () => void;
}

export type ShardConsumerResult =
  | { reason: 'SHARD_END'; lastSequenceNumber: string | undefined }
  | { reason: 'REQUESTED'; lastSequenceNumber: string | undefined };

/**
 * Reads one shard with GetRecords, in order, until SHARD_END or until stopped: at most 5 calls/s, back-off on
 * ProvisionedThroughputExceeded/LimitExceeded, a fresh iterator after ExpiredIteratorException (after the last
 * record handed on, so nothing is skipped or repeated).
 */
export class ShardConsumer {
  private lastSequenceNumber: string | undefined;
  private lastCallAt = 0;
  /** Time of the last successful GetRecords (for /healthz). */
  lastReadAt = 0;

  constructor(private readonly options: ShardConsumerOptions) {}

  async run(): Promise<ShardConsumerResult> {
    const { options } = this;
    let iterator: string | undefined;
    let failures = 0;
    while (!options.signal.aborted) {
      try {
        iterator ??= await this.getIterator();
        await this.pace();
        this.lastCallAt = Date.now();
        const out: GetRecordsCommandOutput = await options.client.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: options.maxRecords }),
          { abortSignal: options.signal },
        );
        failures = 0;
        this.lastReadAt = Date.now();
        const records = out.Records ?? [];
        if (records.length > 0 || out.MillisBehindLatest !== undefined)
          options.processRecords({
            millisBehindLatest: out.MillisBehindLatest ?? null,
            records: records.map((r) => ({
              shardId: options.shardId,
              sequenceNumber: r.SequenceNumber!,
              subSequenceNumber: 0,
              partitionKey: r.PartitionKey ?? '',
              data: r.Data ?? new Uint8Array(),
              approximateArrivalTimestamp: r.ApproximateArrivalTimestamp?.getTime(),
            })),
          });
        const last = records.at(-1)?.SequenceNumber;
        if (last) this.lastSequenceNumber = last;
        if (!out.NextShardIterator) return { reason: 'SHARD_END', lastSequenceNumber: this.lastSequenceNumber };
        iterator = out.NextShardIterator;
        // Behind the tip: read again as soon as allowed; at the tip: wait the poll interval.
        const atTip = records.length === 0 || (out.MillisBehindLatest ?? 0) === 0;
        if (atTip) await this.sleep(options.pollIntervalMillis - MIN_MILLIS_BETWEEN_GET_RECORDS);
      } catch (error) {
        if (options.signal.aborted || isAbort(error)) break;
        failures++;
        if (isExpiredIterator(error)) {
          options.logger.info('shard iterator expired; renewing', { shardId: options.shardId });
          iterator = undefined;
          continue;
        }
        if (isThrottling(error)) options.onThrottled?.();
        const wait = backoff(failures);
        if (isThrottling(error)) {
          if (failures === 1 || failures % 10 === 0)
            options.logger.info('read throttled by Kinesis; backing off', {
              shardId: options.shardId,
              waitMillis: wait,
            });
        } else {
          options.logger.warn('GetRecords failed; retrying', {
            shardId: options.shardId,
            error: errorMessage(error),
            failures,
          });
          iterator = isExpiredIterator(error) ? undefined : iterator;
        }
        await this.sleep(wait);
      }
    }
    return { reason: 'REQUESTED', lastSequenceNumber: this.lastSequenceNumber };
  }

  private getIterator(): Promise<string> {
    const { shardId, stream, start } = this.options;
    const input: GetShardIteratorCommandInput = { ...stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' };
    if (this.lastSequenceNumber) {
      input.ShardIteratorType = 'AFTER_SEQUENCE_NUMBER';
      input.StartingSequenceNumber = this.lastSequenceNumber;
    } else if (start.type === 'AFTER_SEQUENCE_NUMBER') {
      input.ShardIteratorType = 'AFTER_SEQUENCE_NUMBER';
      input.StartingSequenceNumber = start.sequenceNumber;
    } else if (start.type === 'AT_TIMESTAMP') {
      input.ShardIteratorType = 'AT_TIMESTAMP';
      input.Timestamp = start.timestamp;
    }
    return this.options.client
      .send(new GetShardIteratorCommand(input), { abortSignal: this.options.signal })
      .then((out) => {
        if (!out.ShardIterator) throw new Error(`no shard iterator for ${shardId}`);
        return out.ShardIterator;
      });
  }

  private async pace(): Promise<void> {
    await this.sleep(this.lastCallAt + MIN_MILLIS_BETWEEN_GET_RECORDS - Date.now());
  }

  private sleep(millis: number): Promise<void> {
    const { signal } = this.options;
    if (millis <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, millis);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Exponential back-off with full jitter, 250 ms .. 10 s. */
function backoff(failures: number): number {
  const cap = Math.min(MAX_BACKOFF_MILLIS, 250 * 2 ** Math.min(failures, 8));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}
