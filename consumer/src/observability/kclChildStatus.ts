import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricSeries, MetricsRegistry } from '../../../common/observability/metrics';
import type { HealthStatus } from './HealthServer';

/**
 * KCL mode has one child per shard lease and no shared port, so each child writes its status to a file under
 * `STATE_DIR/kcl-children/` and the task's `shard-monitor` serves them as `/healthz` and `/metrics`.
 */
export interface KclChildStatus {
  pid: number;
  shardId: string;
  /** When the status was written: a child that stops writing is stalled. */
  writtenAt: number;
  /** When the daemon last called processRecords (it does even for empty reads): a shard that stops is not read. */
  lastBatchAt: number;
  wfm: { healthy: boolean; reason?: string };
  series: MetricSeries[];
}

export const kclChildStatusDir = (stateDir: string): string => join(stateDir, 'kcl-children');

/** Rewrites the child's file every `intervalMillis` (atomically: write, then rename); `stop()` removes it. */
export class KclChildStatusWriter {
  private readonly file: string;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly status: () => Omit<KclChildStatus, 'pid' | 'writtenAt' | 'series'>,
    private readonly registry: MetricsRegistry,
    intervalMillis = 5000,
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${process.pid}.json`);
    this.write();
    this.timer = setInterval(() => this.write(), intervalMillis);
    this.timer.unref();
  }

  write(): void {
    const status: KclChildStatus = {
      pid: process.pid,
      writtenAt: Date.now(),
      ...this.status(),
      series: this.registry.snapshot(),
    };
    try {
      writeFileSync(`${this.file}.tmp`, JSON.stringify(status));
      renameSync(`${this.file}.tmp`, this.file);
    } catch {
      // A full or read-only disk must not stop the shard; the monitor then reports this child as stalled.
    }
  }

  stop(): void {
    clearInterval(this.timer);
    try {
      unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The statuses of the children still running; the files of children that died are removed. */
export function readKclChildStatuses(dir: string, alive: (pid: number) => boolean = isAlive): KclChildStatus[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const statuses: KclChildStatus[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const status = JSON.parse(readFileSync(file, 'utf8')) as KclChildStatus;
      if (alive(status.pid)) statuses.push(status);
      else unlinkSync(file);
    } catch {
      // being replaced or removed right now: the next probe reads it
    }
  }
  return statuses;
}

/**
 * Ready when every child reported within `staleMillis`, its shard is being read, and WFM accepts its posts. A task
 * holding no lease (more tasks than shards) is ready: it is a warm spare.
 */
export function kclTaskHealth(statuses: readonly KclChildStatus[], now: number, staleMillis = 60_000): HealthStatus {
  const shards: Record<string, string> = {};
  const problems: string[] = [];
  for (const s of statuses) {
    if (now - s.writtenAt > staleMillis)
      shards[s.shardId] = `no status for ${Math.round((now - s.writtenAt) / 1000)} s`;
    else if (now - s.lastBatchAt > staleMillis)
      shards[s.shardId] = `not read for ${Math.round((now - s.lastBatchAt) / 1000)} s`;
    else if (!s.wfm.healthy) shards[s.shardId] = s.wfm.reason ?? 'WFM is not accepting posts';
    else {
      shards[s.shardId] = 'reading';
      continue;
    }
    problems.push(`${s.shardId}: ${shards[s.shardId]}`);
  }
  return problems.length === 0
    ? { healthy: true, details: { shards } }
    : { healthy: false, reason: problems.join('; '), details: { shards } };
}

/** The children's series, labelled by shard (a series already per shard keeps its label), for `/metrics`. */
export function kclChildSeries(statuses: readonly KclChildStatus[]): MetricSeries[] {
  const seen = new Set<string>();
  const out: MetricSeries[] = [];
  for (const s of statuses)
    for (const series of s.series) {
      const labelled = { ...series, dimensions: { ShardId: s.shardId, ...series.dimensions } };
      const key = `${labelled.name}|${JSON.stringify(Object.entries(labelled.dimensions).sort())}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(labelled);
    }
  return out;
}
