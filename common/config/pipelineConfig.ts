import { type Env, EnvReader } from './env';

/** The RxJS window pipeline. */
export interface PipelineConfig {
  /** Length of one reduce window; one delta post at most per window. */
  windowMillis: number;
  /** While a reader is further behind the tip than this, states are reduced silently (no false history). */
  catchUpThresholdMillis: number;
}

export function readPipelineConfig(env: Env): PipelineConfig {
  const vars = new EnvReader(env);
  const config: PipelineConfig = {
    windowMillis: vars.int('RTA_WINDOW_MS', 5000, 50, 600000),
    catchUpThresholdMillis: vars.int('RTA_CATCH_UP_THRESHOLD_MS', 60000, 0, 7 * 24 * 3600 * 1000),
  };
  vars.done();
  return config;
}
