import { z } from 'zod';
import { type Env, intFrom, parseSection } from './env';

/** The RxJS window pipeline. */
export interface PipelineConfig {
  /** Length of one reduce window; one delta post at most per window. */
  windowMillis: number;
  /** While a reader is further behind the tip than this, states are reduced silently (no false history). */
  catchUpThresholdMillis: number;
}

const schema = z
  .object({
    RTA_WINDOW_MS: intFrom(5000, 50, 600000),
    RTA_CATCH_UP_THRESHOLD_MS: intFrom(60000, 0, 7 * 24 * 3600 * 1000),
  })
  .transform((e): PipelineConfig => ({
    windowMillis: e.RTA_WINDOW_MS,
    catchUpThresholdMillis: e.RTA_CATCH_UP_THRESHOLD_MS,
  }));

export const readPipelineConfig = (env: Env): PipelineConfig => parseSection(schema, env);
