import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Logger } from '../../../../common/logging/logger';
import type { ConnectSnapshotSource } from '../../connect/ConnectSnapshotSource';
import { snapshotAtStart } from '../../connect/snapshotAtStart';
import { snapshotReason } from '../../connect/snapshotReason';
import type { AgentStatePipeline } from '../../pipeline/AgentStatePipeline';
import type { StreamRef } from '../../retrieval/polling/ShardLister';
import { streamRetentionMillis } from '../../retrieval/polling/streamRetention';
import type { RestoredProgress } from './DirectRun';

/** Read a little before the snapshot's time: arrival times are Kinesis's clock, the snapshot's time is ours. */
const CLOCK_SKEW_MARGIN_MILLIS = 5000;

export interface ConnectAtStartOptions {
  connect: ConnectSnapshotSource | undefined;
  client: KinesisClient;
  stream: StreamRef;
  pipeline: AgentStatePipeline;
  restored: RestoredProgress;
  logger: Logger;
}

/**
 * With Amazon Connect configured, a first start or an outage beyond the stream's retention begins with Connect's
 * snapshot; the stream is then read from the snapshot's time (older events are superseded by it), which this
 * returns. Without Connect, or when it cannot be read, the checkpoints (or the initial look-back) decide as before.
 */
export async function connectSnapshotAtStart(options: ConnectAtStartOptions): Promise<Date | undefined> {
  const { connect, client, stream, pipeline, restored, logger } = options;
  if (!connect) return undefined;
  const reason = snapshotReason({
    checkpoints: restored.checkpoints,
    agentStates: restored.initialDelivered,
    retentionMillis: await streamRetentionMillis(client, stream),
    nowMillis: Date.now(),
  });
  if (!reason) return undefined;
  const takenAt = await snapshotAtStart(connect, pipeline, reason, logger);
  return takenAt === undefined ? undefined : new Date(takenAt - CLOCK_SKEW_MARGIN_MILLIS);
}
