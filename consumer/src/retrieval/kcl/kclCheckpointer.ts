import type kcl from 'aws-kcl';
import { CheckpointError, type RecordProcessorCheckpointer } from '../../checkpoint/RecordProcessorCheckpointer';

/** Promise face of aws-kcl's callback checkpointer; the daemon's `error` reply becomes a typed CheckpointError. */
export function kclCheckpointer(checkpointer: kcl.Checkpointer): RecordProcessorCheckpointer {
  return {
    checkpoint: (sequenceNumber) =>
      new Promise<void>((resolve, reject) => {
        checkpointer.checkpoint(sequenceNumber, (error) => {
          if (error) reject(new CheckpointError(String(error), sequenceNumber));
          else resolve();
        });
      }),
  };
}
