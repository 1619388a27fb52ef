import { ConnectWfmError } from '../../../common/errors';

/** The checkpointer a record processor is handed for one lifecycle call (KCL: only valid during that call). */
export interface RecordProcessorCheckpointer {
  /** null = the largest permitted position (SHARD_END during shardEnded). Rejects with a CheckpointError. */
  checkpoint(sequenceNumber: string | null): Promise<void>;
}

/** Exception names the MultiLangDaemon replies with (docs/reference/multilang-protocol.md#checkpoint-errors). */
export type CheckpointErrorName =
  | 'IllegalArgumentException'
  | 'ShutdownException'
  | 'ThrottlingException'
  | 'KinesisClientLibDependencyException'
  | 'InvalidStateException'
  | string;

const RETRYABLE = new Set(['ThrottlingException', 'KinesisClientLibDependencyException']);

/** A refused checkpoint. Throttling and dependency failures are worth a retry after a back-off; the rest are not. */
export class CheckpointError extends ConnectWfmError {
  readonly retryable: boolean;
  constructor(
    readonly exceptionName: CheckpointErrorName,
    readonly sequenceNumber: string | null,
    /** What failed underneath (direct mode: the checkpoint store's error). */
    detail?: string,
  ) {
    super(
      `checkpoint at ${sequenceNumber ?? 'largest permitted'} refused: ${exceptionName}${detail ? ` (${detail})` : ''}`,
    );
    this.retryable = RETRYABLE.has(exceptionName);
  }

  /** The lease is gone: stop, do not retry; leaseLost follows. */
  get leaseGone(): boolean {
    return this.exceptionName === 'ShutdownException';
  }
}
