import { type Env, EnvReader } from './env';

/** The RxJS window pipeline. */
export interface PipelineConfig {
  /** Length of one reduce window; one delta post at most per window. */
  windowMillis: number;
  /** While a reader is further behind the tip than this, states are reduced silently (no false history). */
  catchUpThresholdMillis: number;
  /** Agents not seen for this long are forgotten, in memory and (DynamoDB TTL) in the store. */
  agentEvictAfterMillis: number;
}

const HOUR_MILLIS = 3600 * 1000;

export function readPipelineConfig(env: Env): PipelineConfig {
  const vars = new EnvReader(env);
  const config: PipelineConfig = {
    windowMillis: vars.int('RTA_WINDOW_MS', 5000, 50, 600000),
    catchUpThresholdMillis: vars.int('RTA_CATCH_UP_THRESHOLD_MS', 60000, 0, 7 * 24 * 3600 * 1000),
    agentEvictAfterMillis: vars.int('AGENT_EVICT_AFTER_HOURS', 168, 1, 8760) * HOUR_MILLIS,
  };
  vars.done();
  return config;
}
