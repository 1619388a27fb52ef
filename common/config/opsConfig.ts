import { type Env, EnvReader } from './env';

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

export function readOpsConfig(env: Env): OpsConfig {
  const vars = new EnvReader(env);
  const config: OpsConfig = {
    healthPort: vars.int('HEALTH_PORT', 8080, 0, 65535),
    emfEnabled: vars.bool('METRICS_EMF', true),
    metricsIntervalMillis: vars.int('METRICS_INTERVAL_MS', 60000, 1000, 3600 * 1000),
    shutdownTimeoutMillis: vars.int('SHUTDOWN_TIMEOUT_MS', 25000, 1000, 120000),
  };
  vars.done();
  return config;
}
