import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { accessSync, constants, mkdirSync } from 'node:fs';
import type { CheckpointConfig } from '../../../common/config/checkpointConfig';
import { type CheckResult, fail, pass } from '../CheckResult';
import { describeAwsError, remedyFor } from '../describeAwsError';

export interface TableSpec {
  /** What the table is for, e.g. `checkpoint table (CHECKPOINT_TABLE)`. */
  role: string;
  name: string;
  /** The hash key the product expects. */
  hashKey?: string;
  /** A global secondary index that, when present, must have this hash key (KCL 3's lease-owner index). */
  index?: { name: string; hashKey: string };
}

/** KCL 3.x finds a worker's leases through this index of the lease table (infra/terraform creates it). */
export const KCL_LEASE_OWNER_INDEX = { name: 'LeaseOwnerToLeaseKeyIndex', hashKey: 'leaseOwner' };

/** Each configured table exists, is ACTIVE and has the expected key; without CHECKPOINT_TABLE the local store must be writable. */
export async function checkDynamoDbTables(
  checkpoint: CheckpointConfig,
  extra: TableSpec[],
  dynamodb: DynamoDBClient,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const tables: TableSpec[] = [];
  if (checkpoint.table) {
    tables.push({
      role: 'checkpoint table (CHECKPOINT_TABLE)',
      name: checkpoint.table,
      hashKey: 'leaseKey',
      index: KCL_LEASE_OWNER_INDEX,
    });
    if (checkpoint.agentStateTable)
      tables.push({ role: 'agent state table (AGENT_STATE_TABLE)', name: checkpoint.agentStateTable });
  } else {
    try {
      mkdirSync(checkpoint.stateDir, { recursive: true });
      accessSync(checkpoint.stateDir, constants.W_OK);
      results.push(
        pass(
          'checkpoint store',
          `CHECKPOINT_TABLE not set: embedded file store in ${checkpoint.stateDir} (writable; for one task only)`,
        ),
      );
    } catch (error) {
      results.push(
        fail(
          'checkpoint store',
          `embedded file store ${checkpoint.stateDir} is not writable: ${(error as Error).message}`,
          'set STATE_DIR to a writable directory, or CHECKPOINT_TABLE to use DynamoDB',
        ),
      );
    }
  }
  tables.push(...extra);
  for (const t of tables) {
    try {
      const table = (await dynamodb.send(new DescribeTableCommand({ TableName: t.name }))).Table;
      const hash = table?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
      const index = t.index && table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === t.index!.name);
      const indexHash = index ? index.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName : undefined;
      if (table?.TableStatus !== 'ACTIVE' && table?.TableStatus !== 'UPDATING')
        results.push(
          fail('dynamodb table', `${t.role} ${t.name} is ${table?.TableStatus}`, 'wait until the table is ACTIVE'),
        );
      else if (t.hashKey && hash !== t.hashKey)
        results.push(
          fail(
            'dynamodb table',
            `${t.role} ${t.name} has hash key ${hash}, expected ${t.hashKey}`,
            'point the variable at the table Terraform created for it',
          ),
        );
      else if (t.index && index && indexHash !== t.index.hashKey)
        results.push(
          fail(
            'dynamodb table',
            `${t.role} ${t.name}: index ${t.index.name} has hash key ${indexHash}, expected ${t.index.hashKey}`,
            'point the variable at the table Terraform created for it',
          ),
        );
      else
        results.push(
          pass(
            'dynamodb table',
            `${t.role} ${t.name} is ${table.TableStatus}${hash ? ` (hash key ${hash})` : ''}${
              index ? `, index ${t.index!.name}` : ''
            }`,
          ),
        );
    } catch (error) {
      const f = describeAwsError(error);
      results.push(
        fail(
          'dynamodb table',
          `${t.role} ${t.name}: ${f.message}`,
          remedyFor(
            f,
            'dynamodb:DescribeTable',
            `create ${t.name} (infra/terraform) or fix the table name and AWS_REGION`,
          ),
        ),
      );
    }
  }
  return results;
}
