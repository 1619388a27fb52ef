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

export interface KinesisDataFetcherOptions {
  client: KinesisClient;
  stream: StreamRef;
  shardId: string;
  start: StartingPosition;
  /** Pause between reads once at the tip (a full read is followed by the next one after the minimum gap). */
  pollIntervalMillis: number;
  maxRecords: number;
  logger: Logger;
  signal: AbortSignal;
  onThrottled?: () => void;
}

/** What one `fetch` returns: a batch, the end of a closed shard, or nothing more because reading was stopped. */
export type FetchResult = { kind: 'records'; input: ProcessRecordsInput } | { kind: 'SHARD_END' } | { kind: 'STOPPED' };

/**
 * KCL's data fetcher for one shard: GetRecords, in order, until SHARD_END or until stopped: at most 5 calls/s,
 * back-off on ProvisionedThroughputExceeded/LimitExceeded, a fresh iterator after ExpiredIteratorException (after
 * the last record handed on, so nothing is skipped or repeated). The ShardConsumer pulls its batches.
 */
export class KinesisDataFetcher {
  private lastSequenceNumber: string | undefined;
  private lastCallAt = 0;
  private iterator: string | undefined;
  private ended = false;
  /** No read before this time (the poll interval once at the tip; the batch is processed meanwhile). */
  private nextReadAt = 0;
  /** Time of the last successful GetRecords (for /healthz). */
  lastReadAt = 0;

  constructor(private readonly options: KinesisDataFetcherOptions) {}

  /** The next batch (skipping reads that return neither records nor a lag). */
  async fetch(): Promise<FetchResult> {
    const { options } = this;
    let failures = 0;
    while (!options.signal.aborted && !this.ended) {
      try {
        await this.sleep(this.nextReadAt - Date.now());
        this.iterator ??= await this.getIterator();
        await this.pace();
        this.lastCallAt = Date.now();
        const out: GetRecordsCommandOutput = await options.client.send(
          new GetRecordsCommand({ ShardIterator: this.iterator, Limit: options.maxRecords }),
          { abortSignal: options.signal },
        );
        failures = 0;
        this.lastReadAt = Date.now();
        const records = out.Records ?? [];
        const last = records.at(-1)?.SequenceNumber;
        if (last) this.lastSequenceNumber = last;
        if (out.NextShardIterator) this.iterator = out.NextShardIterator;
        else this.ended = true;
        // Behind the tip: read again as soon as allowed; at the tip: wait the poll interval.
        const atTip = records.length === 0 || (out.MillisBehindLatest ?? 0) === 0;
        if (atTip) this.nextReadAt = Date.now() + options.pollIntervalMillis - MIN_MILLIS_BETWEEN_GET_RECORDS;
        if (records.length > 0 || out.MillisBehindLatest !== undefined)
          return {
            kind: 'records',
            input: {
              millisBehindLatest: out.MillisBehindLatest ?? null,
              records: records.map((r) => ({
                shardId: options.shardId,
                sequenceNumber: r.SequenceNumber!,
                subSequenceNumber: 0,
                partitionKey: r.PartitionKey ?? '',
                data: r.Data ?? new Uint8Array(),
                approximateArrivalTimestamp: r.ApproximateArrivalTimestamp?.getTime(),
              })),
            },
          };
      } catch (error) {
        if (options.signal.aborted || isAbort(error)) break;
        failures++;
        if (isExpiredIterator(error)) {
          options.logger.info('shard iterator expired; renewing', { shardId: options.shardId });
          this.iterator = undefined;
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
        }
        await this.sleep(wait);
      }
    }
    if (this.ended) return { kind: 'SHARD_END' };
    return { kind: 'STOPPED' };
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
