import type { RecordProcessorCheckpointer } from '../checkpoint/RecordProcessorCheckpointer';

/**
 * The vocabulary shared by both retrieval modes (KCL MultiLang and the built-in shard reader).
 * A record source hands each shard's records, in order, to a record processor, and says how far behind the tip
 * of the stream the shard is.
 */
export interface KinesisRecord {
  shardId: string;
  /** Decimal string; never a JS number. */
  sequenceNumber: string;
  subSequenceNumber: number;
  partitionKey: string;
  /** Bytes (SDK) or base64 text (MultiLang). */
  data: Uint8Array | string;
  approximateArrivalTimestamp?: number;
}

/** One batch from a shard, as GetRecords (direct) or processRecords (KCL) delivers it. */
export interface ProcessRecordsInput {
  records: readonly KinesisRecord[];
  /** Distance from the tip of the shard; null when unknown. */
  millisBehindLatest: number | null;
}

/** Where a shard's reading starts when there is no checkpoint (or after one). */
export type StartingPosition =
  | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string }
  | { type: 'AT_TIMESTAMP'; timestamp: Date }
  | { type: 'TRIM_HORIZON' };

/** Why a shard consumer stopped. */
export type ShutdownReason = 'SHARD_END' | 'LEASE_LOST' | 'REQUESTED';

/**
 * A shard's record processor with KCL's lifecycle, which both record sources drive: the MultiLang child adapts the
 * protocol to it, direct mode's ShardConsumer calls it per shard. The checkpointer is valid only during the call.
 */
export interface ShardRecordProcessor {
  /** `sequenceNumber`: the shard's checkpoint (a number, a sentinel, or null). */
  initialize(sequenceNumber: string | null): void;
  processRecords(input: ProcessRecordsInput, checkpointer: RecordProcessorCheckpointer): Promise<void>;
  /** Read to its end: deliver, then checkpoint SHARD_END (`checkpoint(null)`). */
  shardEnded(checkpointer: RecordProcessorCheckpointer): Promise<void>;
  /** The reader stops: deliver within a bound, checkpoint what was acknowledged. */
  shutdownRequested(checkpointer: RecordProcessorCheckpointer): Promise<void>;
  /** Another worker took the shard: checkpoint nothing. */
  leaseLost(): Promise<void>;
}
