import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsRegistry } from '../../../../common/observability/metrics';
import {
  type KclChildStatus,
  KclChildStatusWriter,
  kclChildSeries,
  kclTaskHealth,
  readKclChildStatuses,
} from '../../../../consumer/src/observability/kclChildStatus';

const NOW = 1_800_000_000_000;
const child = (shardId: string, overrides: Partial<KclChildStatus> = {}): KclChildStatus => ({
  pid: 1,
  shardId,
  writtenAt: NOW - 1000,
  lastBatchAt: NOW - 1000,
  wfm: { healthy: true },
  series: [],
  ...overrides,
});

describe('KCL task health from the children status files', () => {
  it('is ready when every child reads its shard and WFM accepts its posts; a task without leases is ready', () => {
    expect(kclTaskHealth([child('shardId-0'), child('shardId-1')], NOW)).toEqual({
      healthy: true,
      details: { shards: { 'shardId-0': 'reading', 'shardId-1': 'reading' } },
    });
    expect(kclTaskHealth([], NOW).healthy).toBe(true);
  });

  it('names each shard that is stalled, not read, or whose posts WFM rejects', () => {
    const health = kclTaskHealth(
      [
        child('shardId-0', { wfm: { healthy: false, reason: 'WFM rejected the posts (HTTP 400): invalid key' } }),
        child('shardId-1', { writtenAt: NOW - 90_000 }),
        child('shardId-2', { lastBatchAt: NOW - 75_000 }),
        child('shardId-3'),
      ],
      NOW,
    );
    expect(health.healthy).toBe(false);
    expect(health.reason).toBe(
      'shardId-0: WFM rejected the posts (HTTP 400): invalid key; shardId-1: no status for 90 s; shardId-2: not read for 75 s',
    );
  });

  it('labels the children series by shard for /metrics, keeping a series already per shard once', () => {
    const registry = new MetricsRegistry();
    registry.count('RecordsProcessed', 5);
    registry.gauge('MillisBehindLatest', 10, { ShardId: 'shardId-0' });
    registry.gauge('MillisBehindLatest', 10);
    const series = kclChildSeries([child('shardId-0', { series: registry.snapshot() })]);
    expect(series.map((s) => [s.name, s.dimensions])).toEqual([
      ['RecordsProcessed', { ShardId: 'shardId-0' }],
      ['MillisBehindLatest', { ShardId: 'shardId-0' }],
    ]);
  });

  it('the writer writes its status and removes it on stop; files of dead children are removed when read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cwfm-kcl-status-'));
    writeFileSync(join(dir, '999999.json'), JSON.stringify(child('shardId-9', { pid: 999999 })));
    const writer = new KclChildStatusWriter(
      dir,
      () => ({ shardId: 'shardId-0', lastBatchAt: NOW, wfm: { healthy: true } }),
      new MetricsRegistry(),
    );
    const statuses = readKclChildStatuses(dir, (pid) => pid === process.pid);
    expect(statuses.map((s) => [s.pid, s.shardId])).toEqual([[process.pid, 'shardId-0']]);
    expect(readdirSync(dir)).toEqual([`${process.pid}.json`]);
    writer.stop();
    expect(readdirSync(dir)).toEqual([]);
  });
});
