import { createKinesisClient } from '../../../common/aws/clients';
import { loadConsumerConfig } from '../../../common/config/loadConfig';
import { ConfigError, errorMessage } from '../../../common/errors';
import { createLogger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { EmfPublisher } from '../observability/EmfPublisher';
import { HealthServer } from '../observability/HealthServer';
import {
  kclChildSeries,
  kclChildStatusDir,
  kclTaskHealth,
  readKclChildStatuses,
} from '../observability/kclChildStatus';
import { OpenShardMonitor } from '../runtime/kcl/OpenShardMonitor';
import { ShardLister } from '../retrieval/polling/ShardLister';
import type { Command } from '../../../common/command';

/**
 * KCL mode, next to the daemon (docker/entrypoint.sh): publishes the stream's open shard count for autoscaling, and
 * serves the task's `/healthz` and `/metrics` on HEALTH_PORT from the status files of the daemon's children.
 */
export const shardMonitorCommand: Command = {
  name: 'shard-monitor',
  summary: "KCL mode: publish OpenShardCount; serve the task's /healthz and /metrics from the kcl-processor children",
  async run() {
    const logger = createLogger({ fields: { component: 'shard-monitor' } });
    let monitor: OpenShardMonitor;
    let emf: EmfPublisher | undefined;
    let health: HealthServer | undefined;
    try {
      const { kinesis, ops, checkpoint } = loadConsumerConfig();
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
      const children = kclChildStatusDir(checkpoint.stateDir);
      if (ops.healthPort)
        health = await HealthServer.start({
          port: ops.healthPort,
          health: () => kclTaskHealth(readKclChildStatuses(children), Date.now()),
          series: () => [...metrics.snapshot(), ...kclChildSeries(readKclChildStatuses(children))],
        });
    } catch (error) {
      logger.error('shard monitor failed to start', { error: errorMessage(error) });
      return 1;
    }
    monitor.start();
    return new Promise<number>((resolve) => {
      const stop = async (): Promise<void> => {
        monitor.stop();
        emf?.stop();
        await health?.stop();
        resolve(0);
      };
      process.once('SIGTERM', () => void stop());
      process.once('SIGINT', () => void stop());
    });
  },
};
