import type { RecordProcessorCheckpointer } from '../../checkpoint/RecordProcessorCheckpointer';
import type { ShardRecordProcessor, ShutdownReason } from '../types';
import type { FetchResult } from './KinesisDataFetcher';

export interface ShardConsumerOptions {
  /** Where the batches come from (KinesisDataFetcher in production). */
  fetcher: { fetch(): Promise<FetchResult> };
  processor: ShardRecordProcessor;
  /** This shard's checkpointer (writes into the checkpoint store). */
  checkpointer: RecordProcessorCheckpointer;
  /** The shard's checkpoint at start, if any. */
  checkpoint: string | undefined;
  /**
   * The fetcher reached the end of the closed shard; called before shardEnded, which waits for WFM: the scheduler
   * starts the children now, and their reads may be what releases the catch-up gate that delivery waits on.
   */
  onReadToEnd: () => void;
}

/**
 * Direct mode's shard consumer (KCL's per-shard state machine): initialize, then processRecords with every batch
 * the data fetcher returns, then shardEnded (read to its end) or shutdownRequested (reading was stopped). The
 * record processor is the same one a KCL MultiLang child drives.
 */
export class ShardConsumer {
  constructor(private readonly options: ShardConsumerOptions) {}

  async run(): Promise<Exclude<ShutdownReason, 'LEASE_LOST'>> {
    const { fetcher, processor, checkpointer } = this.options;
    processor.initialize(this.options.checkpoint ?? null);
    for (;;) {
      const result = await fetcher.fetch();
      if (result.kind === 'records') {
        await processor.processRecords(result.input, checkpointer);
        continue;
      }
      if (result.kind === 'SHARD_END') {
        this.options.onReadToEnd();
        await processor.shardEnded(checkpointer);
        return 'SHARD_END';
      }
      await processor.shutdownRequested(checkpointer);
      return 'REQUESTED';
    }
  }
}
