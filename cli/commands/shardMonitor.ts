import { createKinesisClient } from '../../common/aws/clients';
import { loadConsumerConfig } from '../../common/config/loadConfig';
import { ConfigError, errorMessage } from '../../common/errors';
import { createLogger } from '../../common/logging/logger';
import { MetricsRegistry } from '../../common/observability/metrics';
import { EmfPublisher } from '../../consumer/src/observability/EmfPublisher';
import { OpenShardMonitor } from '../../consumer/src/retrieval/kcl/OpenShardMonitor';
import { ShardLister } from '../../consumer/src/retrieval/polling/ShardLister';
import type { Command } from '../command';

/** KCL mode, next to the daemon (docker/entrypoint.sh): publishes the stream's open shard count for autoscaling. */
export const shardMonitorCommand: Command = {
  name: 'shard-monitor',
  summary: 'publish the agent event stream open shard count (OpenShardCount) every METRICS_INTERVAL_MS (KCL mode)',
  async run() {
    const logger = createLogger({ fields: { component: 'shard-monitor' } });
    let monitor: OpenShardMonitor;
    let emf: EmfPublisher | undefined;
    try {
      const { kinesis, ops } = loadConsumerConfig();
      if (!kinesis.streamArn && !kinesis.streamName)
        throw new ConfigError('invalid configuration: KINESIS_STREAM_ARN or KINESIS_STREAM_NAME is required');
      const client = createKinesisClient({ region: kinesis.region, endpoint: kinesis.endpoint });
      const stream = kinesis.streamArn ? { StreamARN: kinesis.streamArn } : { StreamName: kinesis.streamName };
      const metrics = new MetricsRegistry();
      monitor = new OpenShardMonitor({
        lister: new ShardLister(client, stream),
        metrics,
        logger,
        intervalMillis: ops.metricsIntervalMillis,
      });
      if (ops.emfEnabled) emf = new EmfPublisher({ registry: metrics, intervalMillis: ops.metricsIntervalMillis });
    } catch (error) {
      logger.error('shard monitor failed to start', { error: errorMessage(error) });
      return 1;
    }
    monitor.start();
    return new Promise<number>((resolve) => {
      const stop = (): void => {
        monitor.stop();
        emf?.stop();
        resolve(0);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  },
};
