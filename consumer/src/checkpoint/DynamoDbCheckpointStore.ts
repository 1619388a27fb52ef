import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { NonRetryableError, RetryableError } from '../../../common/errors';
import type { DeliveredState } from '../domain/agentState';
import { CONNECT_SOURCE } from '../domain/agentState';
import { isTruthLeaseItem } from './agentStateTable';
import { advances } from './checkpointOrder';
import { mergeAgentStates } from './mergeAgentStates';
import type { CheckpointCommit, CheckpointStore, ShardCheckpoint } from './types';

export interface DynamoDbCheckpointStoreOptions {
  client: DynamoDBClient;
  /** Lease table (KCL layout, hash key `leaseKey`). */
  leaseTable: string;
  /** Agent-state table (hash key `userCode`). */
  agentStateTable: string;
  /** Written as `leaseOwner`: the stable worker id. */
  workerId: string;
  /** Create missing tables (PAY_PER_REQUEST), as KCL does for its lease table. */
  createTables?: boolean;
  /**
   * KCL mode: the child's shard. Only the agents last delivered from it (and from its parents, named in its lease)
   * are loaded, through the `shardId` index, so a child's memory does not grow with the whole table.
   */
  shardId?: string;
  /** Items expire (DynamoDB TTL on `expiresAt`) this long after they were last written. */
  ttlMillis?: number;
}

/** The agent-state table's index by shard, and its TTL attribute (infra/terraform/dynamodb.tf). */
export const SHARD_INDEX = 'shardId-index';
export const TTL_ATTRIBUTE = 'expiresAt';

const MAX_CONDITION_RETRIES = 5;

/**
 * Production store. Checkpoints are items of the KCL lease table (`leaseKey` = shard id, `checkpoint`,
 * `checkpointSubSequenceNumber`, `leaseOwner`, `leaseCounter`), so the direct reader and a KCL MultiLangDaemon
 * fleet can take over from each other. A write only advances: it is conditional on the value it read, and a lost
 * race is re-read and re-decided. Agent states are items of their own table, written before the checkpoint.
 */
export class DynamoDbCheckpointStore implements CheckpointStore {
  private readonly known = new Map<string, string | undefined>();

  constructor(private readonly options: DynamoDbCheckpointStoreOptions) {}

  async prepare(): Promise<void> {
    if (!this.options.createTables) return;
    await this.ensureTable(this.options.leaseTable, 'leaseKey');
    await this.ensureTable(this.options.agentStateTable, 'userCode', SHARD_INDEX);
  }

  async loadCheckpoints(): Promise<Map<string, ShardCheckpoint>> {
    const result = new Map<string, ShardCheckpoint>();
    for (const item of await this.scan(this.options.leaseTable)) {
      const leaseKey = String(item.leaseKey);
      if (typeof item.checkpoint !== 'string') continue;
      this.known.set(leaseKey, item.checkpoint);
      result.set(leaseKey, {
        shardId: leaseKey,
        sequenceNumber: item.checkpoint,
        subSequenceNumber: Number(item.checkpointSubSequenceNumber ?? 0),
      });
    }
    return result;
  }

  async loadAgentStates(): Promise<DeliveredState[]> {
    const { shardId } = this.options;
    if (shardId === undefined)
      return (await this.scan(this.options.agentStateTable))
        .filter((i) => !isTruthLeaseItem(i.userCode))
        .map((i) => toDeliveredState(i));
    // Page by page into one map: a child's peak memory is its agents, not its agents plus the raw pages.
    const merged = new Map<string, DeliveredState>();
    const codes = new Map<string, string>();
    // CONNECT_SOURCE: agents Amazon Connect's truth job recorded and no child delivered since (KCL mode, first start):
    // their time bounds what counts as newer here too, whichever shard their events come from.
    for (const shard of [CONNECT_SOURCE, ...(await this.parentsOf(shardId)), shardId])
      await this.queryShard(shard, (item) => mergeAgentStates(merged, [toDeliveredState(item, shard, codes)]));
    return [...merged.values()];
  }

  async commit(commit: CheckpointCommit): Promise<void> {
    await this.writeAgentStates(commit.agentStates);
    for (const c of commit.checkpoints) await this.advance(c.shardId, c.sequenceNumber);
  }

  /** Conditional: succeeds only if the stored checkpoint is still the one we last saw. */
  private async advance(shardId: string, sequenceNumber: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_CONDITION_RETRIES; attempt++) {
      if (!this.known.has(shardId)) this.known.set(shardId, await this.readCheckpoint(shardId));
      const previous = this.known.get(shardId);
      if (!advances(previous, sequenceNumber)) return;
      try {
        await this.options.client.send(
          new UpdateItemCommand({
            TableName: this.options.leaseTable,
            Key: { leaseKey: { S: shardId } },
            UpdateExpression:
              'SET #cp = :cp, checkpointSubSequenceNumber = :zero, leaseOwner = :owner, ownerSwitchesSinceCheckpoint = :zero ADD leaseCounter :one',
            ConditionExpression: previous === undefined ? 'attribute_not_exists(#cp)' : '#cp = :previous',
            ExpressionAttributeNames: { '#cp': 'checkpoint' },
            ExpressionAttributeValues: {
              ':cp': { S: sequenceNumber },
              ':zero': { N: '0' },
              ':one': { N: '1' },
              ':owner': { S: this.options.workerId },
              ...(previous === undefined ? {} : { ':previous': { S: previous } }),
            },
          }),
        );
        this.known.set(shardId, sequenceNumber);
        return;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          this.known.delete(shardId);
          continue;
        }
        throw toStoreError(error, `checkpoint ${shardId}`);
      }
    }
    throw new RetryableError(`checkpoint of ${shardId} kept losing a conditional race`);
  }

  private async readCheckpoint(shardId: string): Promise<string | undefined> {
    try {
      const { Item } = await this.options.client.send(
        new GetItemCommand({
          TableName: this.options.leaseTable,
          Key: { leaseKey: { S: shardId } },
          ConsistentRead: true,
        }),
      );
      return Item?.checkpoint?.S;
    } catch (error) {
      throw toStoreError(error, `read checkpoint ${shardId}`);
    }
  }

  private async writeAgentStates(states: readonly DeliveredState[]): Promise<void> {
    const now = Date.now();
    const updatedAt = new Date(now).toISOString();
    const expiresAt = Math.floor((now + (this.options.ttlMillis ?? DEFAULT_TTL_MILLIS)) / 1000);
    // Marshalled 25 at a time: a commit after a long outage can carry every agent, and memory must not hold them all.
    const item = (s: DeliveredState): WriteRequest => ({
      PutRequest: {
        Item: marshall(
          {
            userCode: s.userCode,
            stateCode: s.stateCode,
            agentArn: s.agentArn,
            eventTimeMillis: s.eventTimeMillis,
            loggedOut: s.loggedOut,
            uncertain: s.uncertain,
            shardId: s.sourceId ?? this.options.shardId,
            updatedAt,
            [TTL_ATTRIBUTE]: expiresAt,
          },
          { removeUndefinedValues: true },
        ),
      },
    });
    for (let i = 0; i < states.length; i += 25) {
      let pending = states.slice(i, i + 25).map(item);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new RetryableError('agent states: DynamoDB kept returning unprocessed items');
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
        try {
          const { UnprocessedItems } = await this.options.client.send(
            new BatchWriteItemCommand({ RequestItems: { [this.options.agentStateTable]: pending } }),
          );
          pending = UnprocessedItems?.[this.options.agentStateTable] ?? [];
        } catch (error) {
          throw toStoreError(error, 'write agent states');
        }
      }
    }
  }

  private async scan(table: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, never> | undefined;
    do {
      try {
        const page = await this.options.client.send(
          new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        for (const item of page.Items ?? []) items.push(unmarshall(item));
        start = page.LastEvaluatedKey as Record<string, never> | undefined;
      } catch (error) {
        if (error instanceof ResourceNotFoundException && !this.options.createTables) return items;
        throw toStoreError(error, `scan ${table}`);
      }
    } while (start);
    return items;
  }

  /** The shard's parents as its KCL lease names them (after a reshard their agents moved to this shard). */
  private async parentsOf(shardId: string): Promise<string[]> {
    try {
      const { Item } = await this.options.client.send(
        new GetItemCommand({ TableName: this.options.leaseTable, Key: { leaseKey: { S: shardId } } }),
      );
      return Item?.parentShardId?.SS ?? Item?.parentShardId?.L?.map((v) => v.S ?? '').filter(Boolean) ?? [];
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return [];
      throw toStoreError(error, `read lease ${shardId}`);
    }
  }

  private async queryShard(shardId: string, each: (item: Record<string, unknown>) => void): Promise<void> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      try {
        const page = await this.options.client.send(
          new QueryCommand({
            TableName: this.options.agentStateTable,
            IndexName: SHARD_INDEX,
            KeyConditionExpression: 'shardId = :s',
            ExpressionAttributeValues: { ':s': { S: shardId } },
            ProjectionExpression: 'userCode, stateCode, agentArn, eventTimeMillis, loggedOut, uncertain',
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) each(unmarshall(item));
        start = page.LastEvaluatedKey;
      } catch (error) {
        if (error instanceof ResourceNotFoundException && !this.options.createTables) return;
        throw toStoreError(error, `query ${this.options.agentStateTable} for ${shardId}`);
      }
    } while (start);
  }

  private async ensureTable(table: string, hashKey: string, shardIndex?: string): Promise<void> {
    try {
      await this.options.client.send(new DescribeTableCommand({ TableName: table }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw toStoreError(error, `describe ${table}`);
    }
    // Every child of a worker starts at once against an emulator: one creates the table, the others wait for it.
    const created = await this.options.client
      .send(
        new CreateTableCommand({
          TableName: table,
          KeySchema: [{ AttributeName: hashKey, KeyType: 'HASH' }],
          AttributeDefinitions: [
            { AttributeName: hashKey, AttributeType: 'S' },
            ...(shardIndex ? [{ AttributeName: 'shardId', AttributeType: 'S' as const }] : []),
          ],
          GlobalSecondaryIndexes: shardIndex
            ? [
                {
                  IndexName: shardIndex,
                  KeySchema: [{ AttributeName: 'shardId', KeyType: 'HASH' }],
                  Projection: { ProjectionType: 'ALL' },
                },
              ]
            : undefined,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      )
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof ResourceInUseException) return false;
          throw toStoreError(error, `create ${table}`);
        },
      );
    for (let i = 0; i < 100; i++) {
      const { Table } = await this.options.client.send(new DescribeTableCommand({ TableName: table }));
      if (Table?.TableStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (shardIndex && created)
      await this.options.client.send(
        new UpdateTimeToLiveCommand({
          TableName: table,
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        }),
      );
  }
}

const DEFAULT_TTL_MILLIS = 7 * 24 * 3600 * 1000;

/** `shard` and `codes` share one string per shard and per state code among a child's many agents. */
function toDeliveredState(item: Record<string, unknown>, shard?: string, codes?: Map<string, string>): DeliveredState {
  const code = String(item.stateCode);
  let stateCode = codes?.get(code) ?? code;
  if (codes && !codes.has(code) && codes.size < 10_000) codes.set(code, (stateCode = code));
  const sourceId = shard ?? (typeof item.shardId === 'string' ? item.shardId : undefined);
  return {
    userCode: String(item.userCode),
    stateCode,
    agentArn: String(item.agentArn ?? ''),
    eventTimeMillis: Number(item.eventTimeMillis ?? 0),
    ...(typeof item.loggedOut === 'boolean' ? { loggedOut: item.loggedOut } : {}),
    ...(typeof item.uncertain === 'string' ? { uncertain: item.uncertain } : {}),
    ...(sourceId !== undefined ? { sourceId } : {}),
  };
}

function toStoreError(error: unknown, what: string): Error {
  if (error instanceof ProvisionedThroughputExceededException)
    return new RetryableError(`${what}: throttled`, { cause: error });
  const name = (error as { name?: string })?.name ?? 'Error';
  const fault = (error as { $fault?: string })?.$fault;
  const message = `${what}: ${name}: ${(error as Error)?.message ?? String(error)}`;
  // Server faults, throttling and network errors are worth another attempt; a missing table or bad request is not.
  if (fault === 'server' || /Throttl|Timeout|ECONN|socket|NetworkingError/i.test(name + message))
    return new RetryableError(message, { cause: error });
  return new NonRetryableError(message, { cause: error });
}
