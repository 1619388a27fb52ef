import { type KinesisClient, ListShardsCommand, type ListShardsCommandInput } from '@aws-sdk/client-kinesis';
import { isThrottling } from './kinesisErrors';

/** What the coordinator needs to know about a shard. */
export interface ShardInfo {
  shardId: string;
  /** Parent and adjacent parent (a merge has two): read to SHARD_END before this shard. */
  parentShardIds: string[];
  /** A closed shard has an ending sequence number: reading it ends with SHARD_END. */
  closed: boolean;
}

export interface StreamRef {
  StreamName?: string;
  StreamARN?: string;
}

/** ListShards, every page, backing off on LimitExceededException. */
export class ShardLister {
  constructor(
    private readonly client: KinesisClient,
    private readonly stream: StreamRef,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async list(): Promise<ShardInfo[]> {
    const shards: ShardInfo[] = [];
    let nextToken: string | undefined;
    do {
      // With NextToken the stream must not be named again.
      const input: ListShardsCommandInput = nextToken ? { NextToken: nextToken } : { ...this.stream };
      const page = await this.withRetry(() => this.client.send(new ListShardsCommand(input)));
      for (const s of page.Shards ?? []) {
        if (!s.ShardId) continue;
        shards.push({
          shardId: s.ShardId,
          parentShardIds: [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => !!p),
          closed: !!s.SequenceNumberRange?.EndingSequenceNumber,
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return shards;
  }

  private async withRetry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isThrottling(error) || attempt >= 8) throw error;
        await this.sleep(Math.min(5000, 200 * 2 ** attempt));
      }
    }
  }
}
