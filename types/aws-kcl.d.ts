/**
 * Ambient declarations for `aws-kcl` 2.3.2 (the package ships none). Shapes as the Java MultiLangDaemon sends them
 * (docs/reference/multilang-protocol.md#messages): record data is base64 text, sequence numbers are decimal strings.
 */
declare module 'aws-kcl' {
  import type { Readable, Writable } from 'node:stream';

  namespace kcl {
    interface KclRecord {
      /** Standard base64 with padding. */
      data: string;
      partitionKey: string;
      /** Decimal string of up to 129 digits: never parse it as a JS number. */
      sequenceNumber: string;
      /** Epoch milliseconds, or null. */
      approximateArrivalTimestamp: number | null;
      /** > 0 only for KPL-deaggregated user records. */
      subSequenceNumber: number | null;
      action?: 'record';
    }

    /** `error` is the simple class name of the daemon's exception (e.g. 'ShutdownException'), or null. */
    type CheckpointCallback = (error: string | null | undefined, sequenceNumber?: string | null) => void;

    interface Checkpointer {
      /** Sends `{"action":"checkpoint","sequenceNumber":seq|null}`; null = the largest permitted (SHARD_END at shard end). */
      checkpoint(sequenceNumber: string | null, callback: CheckpointCallback): void;
      checkpoint(callback: CheckpointCallback): void;
    }

    interface InitializeInput {
      shardId: string;
      /** The lease checkpoint: a sequence number, a sentinel (TRIM_HORIZON, LATEST, AT_TIMESTAMP), or null. */
      sequenceNumber: string | null;
      subSequenceNumber: number | null;
    }

    interface ProcessRecordsInput {
      records: KclRecord[];
      millisBehindLatest: number | null;
      checkpointer: Checkpointer;
    }

    type LeaseLostInput = Record<string, never>;

    interface ShardEndedInput {
      checkpointer: Checkpointer;
    }

    interface ShutdownRequestedInput {
      checkpointer: Checkpointer;
    }

    /** The "VERSION2" record processor; every handler must call completeCallback exactly once. */
    interface RecordProcessor {
      initialize(input: InitializeInput, completeCallback: () => void): void;
      processRecords(input: ProcessRecordsInput, completeCallback: () => void): void;
      leaseLost(input: LeaseLostInput, completeCallback: () => void): void;
      shardEnded(input: ShardEndedInput, completeCallback: () => void): void;
      shutdownRequested?(input: ShutdownRequestedInput, completeCallback: () => void): void;
    }

    interface KclProcess {
      run(): void;
      cleanup(): void;
    }
  }

  /** `inputFile`/`outputFile`/`errorFile` default to process.stdin/stdout/stderr. */
  function kcl(
    recordProcessor: kcl.RecordProcessor,
    inputFile?: Readable,
    outputFile?: Writable,
    errorFile?: Writable,
  ): kcl.KclProcess;

  export = kcl;
}
