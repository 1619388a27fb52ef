import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { decodeAgentEvent } from '../../../consumer/src/domain/decodeAgentEvent';
import { type CtrItem, CtrStreamParser } from '../../../processors/transfer/src/ctr/CtrStreamParser';
import { runSimulation } from '../../../simulator/src/runSimulation';
import { simulate } from '../../../simulator/src/simulate';
import { KinesisEventSink } from '../../../simulator/src/sinks/KinesisEventSink';
import { S3CtrSink } from '../../../simulator/src/sinks/S3CtrSink';
import { freePort, type KinesisMock, startKinesisMock } from '../../../local/emulators';

describe('simulator sinks against local Kinesis and S3', () => {
  let kinesis: KinesisMock;
  let s3rver: S3rver;
  let s3: S3Client;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cwfm-sinks-'));
    const port = await freePort();
    s3rver = new S3rver({ address: '127.0.0.1', port, silent: true, directory: dir, allowMismatchedSignatures: true });
    await s3rver.run();
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      requestHandler: new NodeHttpHandler({ requestTimeout: 10000 }),
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'ctr' }));
    kinesis = await startKinesisMock();
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'events', ShardCount: 2 }));
    for (let i = 0; i < 100; i++) {
      const d = await kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: 'events' }));
      if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60000);

  afterAll(async () => {
    s3.destroy();
    await s3rver.close();
    await kinesis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts every agent event on the stream keyed by AgentARN and every CTR into Firehose-style objects', async () => {
    // Prepare
    const start = Date.parse('2026-01-05T08:00:00Z');
    const simulation = simulate({
      agents: 6,
      durationMillis: 2 * 3600_000,
      startMillis: start,
      seed: 9,
      contactsPerAgentHour: 10,
    });
    let n = 0;
    const ctrSink = new S3CtrSink(s3, 'ctr', {
      prefix: 'ctr/',
      deliveryStreamName: 'connect-ctr',
      bufferMillis: 900_000,
      bufferBytes: 1 << 20,
      newId: () => `obj-${n++}`,
    });

    // Act
    const result = await runSimulation({
      outputs: simulation.outputs,
      startMillis: start,
      speed: 0,
      events: new KinesisEventSink(kinesis.client, 'events'),
      ctrs: ctrSink,
    });

    // Assess: the stream holds exactly the events, each agent on one shard, in order
    const summary = result.stats.summary();
    const shards = (await kinesis.client.send(new ListShardsCommand({ StreamName: 'events' }))).Shards ?? [];
    const byAgent = new Map<string, Set<string>>();
    let records = 0;
    for (const shard of shards) {
      let iterator = (
        await kinesis.client.send(
          new GetShardIteratorCommand({
            StreamName: 'events',
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      let lastTime = new Map<string, number>();
      for (let empty = 0; iterator && empty < 2;) {
        const out = await kinesis.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        iterator = out.NextShardIterator;
        if ((out.Records ?? []).length === 0) empty++;
        for (const r of out.Records ?? []) {
          const decoded = decodeAgentEvent(r.Data!);
          expect(decoded.ok).toBe(true);
          if (!decoded.ok) continue;
          expect(r.PartitionKey).toBe(decoded.event.AgentARN);
          expect(decoded.eventTimeMillis).toBeGreaterThanOrEqual(lastTime.get(r.PartitionKey!) ?? 0);
          lastTime.set(r.PartitionKey!, decoded.eventTimeMillis);
          byAgent.set(r.PartitionKey!, (byAgent.get(r.PartitionKey!) ?? new Set()).add(shard.ShardId!));
          records++;
        }
      }
      lastTime = new Map();
    }
    expect(records).toBe(summary.agentEvents);
    expect(byAgent.size).toBe(6);
    for (const s of byAgent.values()) expect(s.size).toBe(1);

    // Assess: the objects parse back into exactly the CTRs
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: 'ctr' }))).Contents ?? []).map((o) => o.Key!);
    expect(keys.length).toBeGreaterThan(1);
    expect(
      keys.every((k) => /^ctr\/2026\/01\/05\/\d\d\/connect-ctr-1-2026-01-05-\d\d-\d\d-\d\d-obj-\d+$/.test(k)),
    ).toBe(true);
    const items: CtrItem[] = [];
    for (const key of keys) {
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: 'ctr', Key: key }))
      ).Body!.transformToByteArray();
      const parser = new CtrStreamParser();
      parser.push(Buffer.from(body), items);
      parser.end(items);
    }
    expect(items.filter((i) => i.kind === 'invalid')).toEqual([]);
    expect(items).toHaveLength(summary.ctrs);
  }, 60000);
});
