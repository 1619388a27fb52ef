import { errorMessage } from '../../../../common/errors';
import type { Logger } from '../../../../common/logging/logger';
import { ConsumerMetric } from '../../../../common/observability/metricNames';
import type { Metrics } from '../../../../common/observability/metrics';
import type { ShardLister } from '../../retrieval/polling/ShardLister';

export interface OpenShardMonitorOptions {
  lister: Pick<ShardLister, 'list'>;
  metrics: Metrics;
  logger: Logger;
  intervalMillis: number;
}

/**
 * KCL mode's `OpenShardCount`: the daemon's children each see one shard, so one small process per task lists the
 * stream's shards and publishes how many are open. Autoscaling divides it by the running tasks; a failed listing
 * publishes nothing (no data is better than a wrong count for target tracking).
 */
export class OpenShardMonitor {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OpenShardMonitorOptions) {}

  async sample(): Promise<number | undefined> {
    try {
      const open = (await this.options.lister.list()).filter((s) => !s.closed).length;
      this.options.metrics.gauge(ConsumerMetric.OpenShardCount, open);
      return open;
    } catch (error) {
      this.options.logger.warn('could not list the stream shards; OpenShardCount not published', {
        error: errorMessage(error),
      });
      return undefined;
    }
  }

  start(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.options.intervalMillis);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
