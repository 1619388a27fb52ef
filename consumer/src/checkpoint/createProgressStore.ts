import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CheckpointConfig } from '../../../common/config/checkpointConfig';
import type { DynamoDbProgressStore as DynamoDbProgressStoreType } from './DynamoDbProgressStore';
import { FileProgressStore } from './FileProgressStore';
import type { ProgressStore } from './types';

export interface ProgressStoreChoice {
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
export function createProgressStore(choice: ProgressStoreChoice): ProgressStore {
  const { config } = choice;
  if (config.table && config.agentStateTable && choice.dynamoDb) {
    // Loaded only when configured: the file-store child stays free of the DynamoDB SDK.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DynamoDbProgressStore } = require('./DynamoDbProgressStore') as {
      DynamoDbProgressStore: typeof DynamoDbProgressStoreType;
    };
    return new DynamoDbProgressStore({
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
    return new FileProgressStore({
      stateDir: config.stateDir,
      fileName: `kcl-${choice.kclShardId.replace(/[^A-Za-z0-9_.-]/g, '_')}.progress.json`,
      shareAgentStates: true,
    });
  return new FileProgressStore({ stateDir: config.stateDir });
}
