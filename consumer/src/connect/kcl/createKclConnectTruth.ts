import { createKinesisClient } from '../../../../common/aws/clients';
import type { KclDaemonConfig } from '../../../../common/config/loadConfig';
import type { Logger } from '../../../../common/logging/logger';
import type { MetricsRegistry } from '../../../../common/observability/metrics';
import { DynamoDbCheckpointStore } from '../../checkpoint/DynamoDbCheckpointStore';
import { createProcessContainer } from '../../ioc/containers';
import { TYPES } from '../../ioc/tokens';
import { streamRetentionMillis } from '../../retrieval/polling/streamRetention';
import { AgentStateWriteBack } from './AgentStateWriteBack';
import { KclConnectTruth } from './KclConnectTruth';
import { TruthLease } from './TruthLease';

/**
 * The Connect truth job of `kcl-daemon`, or undefined when no instance is configured (everything as before) or
 * when there is no agent-state table to compare with and lock in (the file store: logged once).
 */
export function createKclConnectTruth(
  config: KclDaemonConfig,
  workerId: string,
  logger: Logger,
  metrics: MetricsRegistry,
): KclConnectTruth | undefined {
  if (!config.connect.instanceId) return undefined;
  const { table, agentStateTable, endpoint } = config.checkpoint;
  if (!table || !agentStateTable) {
    logger.warn('CONNECT_INSTANCE_ID is set, but KCL mode keeps Connect truth in DynamoDB: set CHECKPOINT_TABLE');
    return undefined;
  }
  const c = createProcessContainer({ config, logger, workerId, metrics });
  const client = c.get(TYPES.DynamoDbClient);
  const { kinesis } = config;
  const stream = kinesis.streamArn ? { StreamARN: kinesis.streamArn } : { StreamName: kinesis.streamName };
  return new KclConnectTruth({
    source: c.get(TYPES.ConnectSnapshotSource),
    store: new DynamoDbCheckpointStore({
      client,
      leaseTable: table,
      agentStateTable,
      workerId,
      // Against an emulator, create the tables (as the children do); in AWS they come from Terraform.
      createTables: endpoint !== undefined,
    }),
    lease: new TruthLease({
      client,
      table: agentStateTable,
      owner: workerId,
      leaseMillis: config.kcl.failoverTimeMillis,
    }),
    writeBack: new AgentStateWriteBack({
      client,
      table: agentStateTable,
      ttlMillis: config.pipeline.agentEvictAfterMillis,
    }),
    delivery: c.get(TYPES.StateDelivery),
    retentionMillis: async () => {
      const kinesisClient = createKinesisClient({ region: kinesis.region, endpoint: kinesis.endpoint });
      try {
        return await streamRetentionMillis(kinesisClient, stream);
      } finally {
        kinesisClient.destroy();
      }
    },
    leaseMillis: config.kcl.failoverTimeMillis,
    reconcileIntervalMillis: config.connect.reconcileIntervalMillis,
    loggedOutStateCode: config.rta.loggedOutStateCode,
    maxBatchStates: config.rta.maxBatchStates,
    logger,
    metrics,
  });
}
