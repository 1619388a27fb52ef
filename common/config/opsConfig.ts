import { z } from 'zod';
import { type Env, boolFrom, intFrom, parseSection } from './env';

/** Health endpoint, metrics publishing and shutdown budget of the consumer. */
export interface OpsConfig {
  /** Port of `/healthz` and `/metrics` (direct mode); 0 disables the server. */
  healthPort: number;
  /** Publish CloudWatch metrics as embedded-metric-format lines on stderr. */
  emfEnabled: boolean;
  metricsIntervalMillis: number;
  /** SIGTERM → exit budget: stop reading, flush, deliver, checkpoint (ECS stopTimeout is 30 s). */
  shutdownTimeoutMillis: number;
}

const schema = z
  .object({
    HEALTH_PORT: intFrom(8080, 0, 65535),
    METRICS_EMF: boolFrom(true),
    METRICS_INTERVAL_MS: intFrom(60000, 1000, 3600 * 1000),
    SHUTDOWN_TIMEOUT_MS: intFrom(25000, 1000, 120000),
  })
  .transform((e): OpsConfig => ({
    healthPort: e.HEALTH_PORT,
    emfEnabled: e.METRICS_EMF,
    metricsIntervalMillis: e.METRICS_INTERVAL_MS,
    shutdownTimeoutMillis: e.SHUTDOWN_TIMEOUT_MS,
  }));

export const readOpsConfig = (env: Env): OpsConfig => parseSection(schema, env);
