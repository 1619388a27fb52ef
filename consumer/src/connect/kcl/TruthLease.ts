import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { RetryableError } from '../../../../common/errors';
import { TRUTH_LEASE_KEY } from '../../checkpoint/agentStateTable';

export interface TruthLeaseOptions {
  client: DynamoDBClient;
  table: string;
  owner: string;
  /** A lease not renewed for this long is free: a crashed holder is replaced after one period. */
  leaseMillis: number;
  now?: () => number;
}

/** What the lease item says apart from its holder: the first start's snapshot, once recorded. */
export interface TruthLeaseView {
  owner: string | undefined;
  expiresAtMillis: number;
  /** When the first-start snapshot was read (0: it could not be taken; the stream alone decides). */
  firstStartSnapshotAtMillis: number | undefined;
}

/**
 * A lock with a lease, by conditional writes on one item: taken when absent, expired or already ours; renewed
 * only while still ours; released by clearing the owner (the snapshot marker stays). Expiry compares wall clocks of
 * the fleet's hosts (NTP keeps them within milliseconds; the lease is seconds).
 */
export class TruthLease {
  private readonly now: () => number;

  constructor(private readonly options: TruthLeaseOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True when this process holds the lease now (taken or renewed). */
  async acquire(): Promise<boolean> {
    return this.write(
      'attribute_not_exists(lockOwner) OR lockOwner = :me OR leaseExpiresAtMillis < :now',
      'SET lockOwner = :me, leaseExpiresAtMillis = :until',
    );
  }

  /** True while still ours; false when another process took it (this one must stop the job). */
  async renew(): Promise<boolean> {
    return this.write('lockOwner = :me', 'SET leaseExpiresAtMillis = :until');
  }

  async release(): Promise<void> {
    await this.write('lockOwner = :me', 'REMOVE lockOwner SET leaseExpiresAtMillis = :zero');
  }

  /** Records the first start's snapshot time for the processes waiting to start their daemons. */
  async recordFirstStartSnapshot(atMillis: number): Promise<boolean> {
    return this.write('lockOwner = :me', 'SET firstStartSnapshotAtMillis = :at', { ':at': { N: String(atMillis) } });
  }

  async read(): Promise<TruthLeaseView> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({
        TableName: this.options.table,
        Key: { userCode: { S: TRUTH_LEASE_KEY } },
        ConsistentRead: true,
      }),
    );
    const marker = Item?.firstStartSnapshotAtMillis?.N;
    return {
      owner: Item?.lockOwner?.S,
      expiresAtMillis: Number(Item?.leaseExpiresAtMillis?.N ?? 0),
      firstStartSnapshotAtMillis: marker === undefined ? undefined : Number(marker),
    };
  }

  private async write(condition: string, update: string, extra: Record<string, { N: string }> = {}): Promise<boolean> {
    const now = this.now();
    const values: Record<string, { S: string } | { N: string }> = {
      ':me': { S: this.options.owner },
      ':now': { N: String(now) },
      ':until': { N: String(now + this.options.leaseMillis) },
      ':zero': { N: '0' },
      ...extra,
    };
    // DynamoDB refuses values the expressions do not use.
    const used = Object.fromEntries(Object.entries(values).filter(([k]) => `${condition} ${update}`.includes(k)));
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.table,
          Key: { userCode: { S: TRUTH_LEASE_KEY } },
          ConditionExpression: condition,
          UpdateExpression: update,
          ExpressionAttributeValues: used,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new RetryableError(`Connect truth lease: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
  }
}
