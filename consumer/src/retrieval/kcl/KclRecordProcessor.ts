import type kcl from 'aws-kcl';
import { errorMessage } from '../../../../common/errors';
import type { Logger } from '../../../../common/logging/logger';
import type { AgentEventRecordProcessor } from '../../processor/AgentEventRecordProcessor';
import { kclCheckpointer } from './kclCheckpointer';

/** Builds the shard's record processor (the shard container) once `initialize` names the shard. */
export type ShardProcessorFactory = (shardId: string) => Promise<AgentEventRecordProcessor>;

/**
 * The aws-kcl record processor: the five lifecycle methods, each answered exactly once (the status line), after
 * the work it must finish. Records arrive raw (base64 data, decimal sequence numbers) and go to the shard's
 * AgentEventRecordProcessor. An unexpected failure ends the child with code 1: the daemon then exits and its
 * supervisor restarts it; delivery is at-least-once from the last checkpoint, and nothing unacknowledged was
 * checkpointed.
 */
export class KclRecordProcessor implements kcl.RecordProcessor {
  private processor: AgentEventRecordProcessor | undefined;
  private shardId: string | undefined;

  constructor(
    private readonly createProcessor: ShardProcessorFactory,
    private readonly logger: Logger,
    private readonly fail: (error: unknown) => void,
  ) {}

  initialize(input: kcl.InitializeInput, completeCallback: () => void): void {
    this.shardId = input.shardId;
    this.run('initialize', completeCallback, async () => {
      this.processor = await this.createProcessor(input.shardId);
      this.processor.initialize(input.sequenceNumber);
    });
  }

  processRecords(input: kcl.ProcessRecordsInput, completeCallback: () => void): void {
    this.run('processRecords', completeCallback, async () => {
      const shardId = this.shardId!;
      await this.required().processRecords(
        {
          millisBehindLatest: input.millisBehindLatest ?? null,
          records: input.records.map((r) => ({
            shardId,
            sequenceNumber: r.sequenceNumber,
            subSequenceNumber: r.subSequenceNumber ?? 0,
            partitionKey: r.partitionKey,
            data: r.data,
            approximateArrivalTimestamp: r.approximateArrivalTimestamp ?? undefined,
          })),
        },
        kclCheckpointer(input.checkpointer),
      );
    });
  }

  leaseLost(_input: kcl.LeaseLostInput, completeCallback: () => void): void {
    this.run('leaseLost', completeCallback, async () => this.processor?.leaseLost());
  }

  shardEnded(input: kcl.ShardEndedInput, completeCallback: () => void): void {
    this.run('shardEnded', completeCallback, () => this.required().shardEnded(kclCheckpointer(input.checkpointer)));
  }

  shutdownRequested(input: kcl.ShutdownRequestedInput, completeCallback: () => void): void {
    this.run('shutdownRequested', completeCallback, () =>
      this.required().shutdownRequested(kclCheckpointer(input.checkpointer)),
    );
  }

  /** stdin EOF. */
  abandon(): void {
    this.processor?.abandon();
  }

  private required(): AgentEventRecordProcessor {
    if (!this.processor) throw new Error('record processor used before initialize');
    return this.processor;
  }

  private run(action: string, completeCallback: () => void, work: () => Promise<void>): void {
    work().then(
      () => completeCallback(),
      (error: unknown) => {
        this.logger.error(`${action} failed; exiting so the daemon restarts from the last checkpoint`, {
          error: errorMessage(error),
        });
        this.fail(error);
      },
    );
  }
}
