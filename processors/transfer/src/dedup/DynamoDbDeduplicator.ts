import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { CsvLayout } from '../ctr/csvLayout';
import type { CtrRecord } from '../ctr/ctrRecord';
import type { ContactVersion } from './decideExport';
import type { Deduplicator } from './Deduplicator';
import { InMemoryDeduplicator } from './InMemoryDeduplicator';
import { toTransferError } from '../errors';

/**
 * One DynamoDB item per exported contact: `contactId` (partition key, S), `lastUpdateTimestamp` (S),
 * `lastUpdateMillis` (N), `fingerprint` (S), `sourceKey` (S), `exportedAt` (S) and `expiresAt` (N, the TTL attribute).
 * Lookups are batched (100 keys, consistent reads); writes happen in `commit`, after the upload, and are conditional
 * so a slower invocation never replaces a newer version written by a concurrent one.
 */
export interface DynamoDbDeduplicatorOptions {
  client: DynamoDBClient;
  tableName: string;
  layout: CsvLayout;
  /** How long a contact is remembered; re-deliveries come days later (default in config: 45 days). */
  ttlSeconds: number;
  sourceKey: string;
  now?: () => number;
}

const BATCH_GET_MAX = 100;
const WRITE_CONCURRENCY = 16;

export class DynamoDbDeduplicator implements Deduplicator {
  private readonly memory: InMemoryDeduplicator;
  private readonly now: () => number;

  constructor(private readonly options: DynamoDbDeduplicatorOptions) {
    this.memory = new InMemoryDeduplicator(options.layout);
    this.now = options.now ?? Date.now;
  }

  get skipped(): number {
    return this.memory.skipped;
  }

  async select(records: readonly CtrRecord[]): Promise<CtrRecord[]> {
    const seen = this.memory.exported();
    const ids = [...new Set(records.map((r) => r.contactId))].filter((id) => !seen.has(id));
    const stored = new Map<string, ContactVersion>();
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX) await this.lookup(ids.slice(i, i + BATCH_GET_MAX), stored);
    return this.memory.selectSync(records, (id) => stored.get(id));
  }

  async commit(): Promise<void> {
    const entries = [...this.memory.exported()];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < entries.length) {
        const [contactId, version] = entries[next++]!;
        await this.remember(contactId, version);
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, entries.length) }, worker));
  }

  private async lookup(ids: string[], into: Map<string, ContactVersion>): Promise<void> {
    let keys = ids.map((id) => ({ contactId: { S: id } }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(50 * 2 ** attempt, 2000));
      if (attempt > 8) throw toTransferError(new Error('DynamoDB kept returning unprocessed keys'), 'dedup lookup');
      const out = await this.options.client
        .send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.options.tableName]: {
                Keys: keys,
                ConsistentRead: true,
                ProjectionExpression: 'contactId, lastUpdateTimestamp, fingerprint, sourceKey',
              },
            },
          }),
        )
        .catch((e: unknown) => {
          throw toTransferError(e, 'dedup lookup');
        });
      for (const item of out.Responses?.[this.options.tableName] ?? []) {
        const id = item.contactId?.S;
        // Written by an earlier attempt at this same object (it failed after the upload, before the tag): the file
        // must be rebuilt whole, so that contact counts as not yet exported.
        if (id !== undefined && item.sourceKey?.S !== this.options.sourceKey)
          into.set(id, {
            lastUpdateTimestamp: item.lastUpdateTimestamp?.S ?? '',
            fingerprint: item.fingerprint?.S ?? '',
          });
      }
      keys = (out.UnprocessedKeys?.[this.options.tableName]?.Keys ?? []) as typeof keys;
    }
  }

  private async remember(contactId: string, version: ContactVersion): Promise<void> {
    const millis = Date.parse(version.lastUpdateTimestamp);
    const now = this.now();
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { contactId: { S: contactId } },
          UpdateExpression:
            'SET lastUpdateTimestamp = :lu, lastUpdateMillis = :m, fingerprint = :f, sourceKey = :k, exportedAt = :at, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(contactId) OR lastUpdateMillis <= :m',
          ExpressionAttributeValues: {
            ':lu': { S: version.lastUpdateTimestamp },
            ':m': { N: String(Number.isNaN(millis) ? 0 : millis) },
            ':f': { S: version.fingerprint },
            ':k': { S: this.options.sourceKey },
            ':at': { S: new Date(now).toISOString() },
            ':exp': { N: String(Math.floor(now / 1000) + this.options.ttlSeconds) },
          },
        }),
      );
    } catch (e) {
      // A newer version is already stored (a concurrent invocation exported it): keep that one.
      if (e instanceof ConditionalCheckFailedException) return;
      throw toTransferError(e, 'dedup write');
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
