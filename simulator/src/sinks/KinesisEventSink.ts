import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { RetryableError } from '../../../common/errors';
import type { StreamAgentEvent } from '../connectShapes';
import { orderedRounds } from './orderedRounds';
import type { AgentEventSink } from './types';

/** PutRecords limits: 500 records and 5 MiB per call. */
const MAX_RECORDS = 500;
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_ATTEMPTS = 8;

export interface KinesisSinkStats {
  records: number;
  calls: number;
  retriedRecords: number;
}

/**
 * Agent events to a Kinesis data stream exactly as Connect writes them: one compact JSON document per record,
 * partition key = AgentARN (so one agent's events stay ordered on one shard). Records that PutRecords reports as
 * failed (throttling) are retried with back-off before any later record of the same agent is sent (orderedRounds),
 * so neither an event nor an agent's order is lost.
 */
export class KinesisEventSink implements AgentEventSink {
  private batch: PutRecordsRequestEntry[] = [];
  private bytes = 0;
  readonly stats: KinesisSinkStats = { records: 0, calls: 0, retriedRecords: 0 };

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async write(event: StreamAgentEvent, json: string): Promise<void> {
    const data = Buffer.from(json);
    const size = data.length + Buffer.byteLength(event.AgentARN);
    if (this.batch.length >= MAX_RECORDS || this.bytes + size > MAX_BYTES) await this.flush();
    this.batch.push({ Data: data, PartitionKey: event.AgentARN });
    this.bytes += size;
  }

  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.bytes = 0;
    for (const round of orderedRounds(batch, (r) => r.PartitionKey!)) await this.put(round);
  }

  /** One PutRecords round, re-sending only the rejected records until all are in (or attempts run out). */
  private async put(records: PutRecordsRequestEntry[]): Promise<void> {
    let pending = records;
    for (let attempt = 1; pending.length > 0; attempt++) {
      this.stats.calls++;
      const result = await this.kinesis.send(new PutRecordsCommand({ StreamName: this.streamName, Records: pending }));
      const failed = (result.Records ?? []).flatMap((r, i) => (r.ErrorCode ? [pending[i]!] : []));
      this.stats.records += pending.length - failed.length;
      if (failed.length === 0) return;
      if (attempt >= MAX_ATTEMPTS)
        throw new RetryableError(`Kinesis rejected ${failed.length} records ${attempt} times (throttled?)`);
      this.stats.retriedRecords += failed.length;
      pending = failed;
      await this.sleep(Math.min(2000, 50 * 2 ** attempt));
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
