import { hostname } from 'node:os';
import type { KinesisConfig } from '../../../../common/config/kinesisConfig';

/**
 * A stable worker id, so a restarted worker reclaims its own leases at once (KCL #173): KCL_WORKER_ID, else the
 * ECS task id (from the task metadata endpoint), else the host name.
 */
export async function resolveWorkerId(config: Pick<KinesisConfig, 'workerId' | 'ecsMetadataUri'>): Promise<string> {
  if (config.workerId) return config.workerId;
  if (config.ecsMetadataUri) {
    try {
      const res = await fetch(`${config.ecsMetadataUri}/task`, { signal: AbortSignal.timeout(2000) });
      const task = (await res.json()) as { TaskARN?: string };
      const id = task.TaskARN?.split('/').pop();
      if (id) return id;
    } catch {
      // fall through to the host name
    }
  }
  return hostname();
}
