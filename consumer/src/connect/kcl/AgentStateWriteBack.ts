import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { RetryableError } from '../../../../common/errors';
import { TTL_ATTRIBUTE } from '../../checkpoint/DynamoDbCheckpointStore';
import type { CodedState } from '../../delivery/CoalescingDelivery';
import type { DeliveredState } from '../../domain/agentState';
import { CONNECT_SOURCE } from '../../domain/agentState';

export interface AgentStateWriteBackOptions {
  client: DynamoDBClient;
  table: string;
  /** Items expire (TTL) this long after they were last written, as the children's. */
  ttlMillis: number;
  /** Writes in flight at once (each is one conditional UpdateItem). */
  concurrency?: number;
}

export interface WriteBackResult {
  written: number;
  /** Agents whose item already holds a state from an event at or after the given time: the stream's, which wins. */
  newer: DeliveredState[];
}

/**
 * Writes what the Connect truth job sent WFM into the agent-state table, each agent only if its item is absent or
 * from an older event: a child's newer stream state always wins. The item keeps the shard a child wrote it from;
 * an agent no child has delivered yet is filed under CONNECT_SOURCE, which every child loads too (consumer/src/
 * checkpoint/DynamoDbCheckpointStore.ts), so no child posts an event older than the state recorded here.
 */
export class AgentStateWriteBack {
  constructor(private readonly options: AgentStateWriteBackOptions) {}

  async writeIfOlder(states: readonly CodedState[], atMillis: number): Promise<WriteBackResult> {
    const result: WriteBackResult = { written: 0, newer: [] };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < states.length) {
        const s = states[next++]!;
        if (await this.writeOne(s, atMillis)) result.written++;
        else {
          const stored = await this.read(s.userCode);
          if (stored) result.newer.push(stored);
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 16 }, worker));
    return result;
  }

  private async writeOne(s: CodedState, atMillis: number): Promise<boolean> {
    const now = Date.now();
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.table,
          Key: { userCode: { S: s.userCode } },
          ConditionExpression: 'attribute_not_exists(userCode) OR eventTimeMillis < :t',
          UpdateExpression:
            'SET stateCode = :c, agentArn = :a, eventTimeMillis = :t, loggedOut = :lo, ' +
            'shardId = if_not_exists(shardId, :src), updatedAt = :u, #ttl = :exp REMOVE uncertain',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':t': { N: String(atMillis) },
            ':c': { S: s.stateCode },
            ':a': { S: s.agentArn },
            ':lo': { BOOL: s.loggedOut },
            ':src': { S: CONNECT_SOURCE },
            ':u': { S: new Date(now).toISOString() },
            ':exp': { N: String(Math.floor((now + this.options.ttlMillis) / 1000)) },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new RetryableError(`agent state of ${s.userCode}: ${(error as Error)?.message ?? String(error)}`, {
        cause: error,
      });
    }
  }

  private async read(userCode: string): Promise<DeliveredState | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.table, Key: { userCode: { S: userCode } }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const item = unmarshall(Item);
    return {
      userCode,
      stateCode: String(item.stateCode),
      agentArn: String(item.agentArn ?? ''),
      eventTimeMillis: Number(item.eventTimeMillis ?? 0),
      ...(typeof item.loggedOut === 'boolean' ? { loggedOut: item.loggedOut } : {}),
    };
  }
}
