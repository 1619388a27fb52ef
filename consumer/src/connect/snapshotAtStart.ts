import { errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import type { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import type { ConnectSnapshot, ConnectSnapshotSource } from './ConnectSnapshotSource';
import type { SnapshotReason } from './snapshotReason';

/**
 * Reads Connect and hands its truth to the pipeline as the next request (one IsSnapshot), seeding every agent's
 * ordering with the snapshot's time. Resolves with that time (the stream is then read from there on), or undefined when Connect could not be
 * read: the caller falls back to the stream alone.
 */
export async function snapshotAtStart(
  source: Pick<ConnectSnapshotSource, 'take'>,
  pipeline: Pick<AgentStatePipeline, 'postConnectSnapshot'>,
  reason: SnapshotReason,
  logger: Logger,
): Promise<number | undefined> {
  const started = Date.now();
  const snapshot = await takeSnapshot(source, reason, logger);
  if (!snapshot) return undefined;
  if (snapshot.states.length === 0) logger.warn('Amazon Connect reports no logged-in agent; WFM logs everyone out');
  // Not awaited: the snapshot is the next request, and reading must not wait for a WFM outage to end.
  void pipeline.postConnectSnapshot(snapshot.states, snapshot.takenAtMillis);
  logger.info('read the Amazon Connect snapshot; it is the next post to WFM', {
    reason,
    agents: snapshot.states.length,
    calls: snapshot.calls,
    millis: Date.now() - started,
  });
  return snapshot.takenAtMillis;
}

/** Connect's snapshot, or undefined (one error line) when Connect cannot be read: the stream alone then decides. */
export async function takeSnapshot(
  source: Pick<ConnectSnapshotSource, 'take'>,
  reason: SnapshotReason,
  logger: Logger,
): Promise<ConnectSnapshot | undefined> {
  try {
    return await source.take();
  } catch (error) {
    logger.error('could not read current agent states from Amazon Connect; reading the stream alone', {
      reason,
      error: errorMessage(error),
    });
    return undefined;
  }
}
