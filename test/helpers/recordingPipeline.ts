import { readPipelineConfig } from '../../common/config/pipelineConfig';
import { readRtaConfig } from '../../common/config/rtaConfig';
import { silentLogger } from '../../common/logging/logger';
import { MetricsRegistry } from '../../common/observability/metrics';
import { AgentStatePipeline } from '../../consumer/src/pipeline/AgentStatePipeline';
import type { StateBatch } from '../../consumer/src/delivery/types';

/** A pipeline whose WFM accepts every post at once and records it (`env`: pipeline settings, e.g. RTA_WINDOW_MS). */
export function recordingPipeline(env: Record<string, string>) {
  const posted: StateBatch[] = [];
  const pipelineConfig = readPipelineConfig(env);
  const pipeline = new AgentStatePipeline({
    rta: readRtaConfig({}),
    pipeline: pipelineConfig,
    delivery: { post: async (b) => void posted.push(b) },
    logger: silentLogger,
    metrics: new MetricsRegistry(),
  });
  return { pipeline, pipelineConfig, posted };
}
