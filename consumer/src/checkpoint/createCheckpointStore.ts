import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CheckpointConfig } from '../../../common/config/checkpointConfig';
import type { DynamoDbCheckpointStore as DynamoDbCheckpointStoreType } from './DynamoDbCheckpointStore';
import { FileCheckpointStore } from './FileCheckpointStore';
import type { CheckpointStore } from './types';

export interface CheckpointStoreChoice {
  config: CheckpointConfig;
  /** Needed when a table is configured. */
  dynamoDb?: () => DynamoDBClient;
  workerId: string;
  /**
   * KCL mode: one file per shard (children never share a file) and agent states read from all of them; in DynamoDB
   * only the shard's own agents (and its parents') are read.
   */
  kclShardId?: string;
  /** Agent states expire from DynamoDB (TTL) this long after their last write. */
  ttlMillis?: number;
}

/** DynamoDB when CHECKPOINT_TABLE is set (production), else the embedded file store under STATE_DIR. */
export function createCheckpointStore(choice: CheckpointStoreChoice): CheckpointStore {
  const { config } = choice;
  if (config.table && config.agentStateTable && choice.dynamoDb) {
    // Loaded only when configured: the file-store child stays free of the DynamoDB SDK.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DynamoDbCheckpointStore } = require('./DynamoDbCheckpointStore') as {
      DynamoDbCheckpointStore: typeof DynamoDbCheckpointStoreType;
    };
    return new DynamoDbCheckpointStore({
      client: choice.dynamoDb(),
      leaseTable: config.table,
      agentStateTable: config.agentStateTable,
      workerId: choice.workerId,
      // Against an emulator, create the tables; in AWS they come from Terraform (or the KCL daemon).
      createTables: config.endpoint !== undefined,
      shardId: choice.kclShardId,
      ttlMillis: choice.ttlMillis,
    });
  }
  if (choice.kclShardId)
    return new FileCheckpointStore({
      stateDir: config.stateDir,
      fileName: `kcl-${choice.kclShardId.replace(/[^A-Za-z0-9_.-]/g, '_')}.progress.json`,
      shareAgentStates: true,
    });
  return new FileCheckpointStore({ stateDir: config.stateDir });
}
