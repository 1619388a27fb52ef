import type { MetricSeries } from '../../../common/observability/metrics';

const PREFIX = 'connect_wfm_';

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

const labels = (dims: Record<string, string>, extra: Record<string, string> = {}): string => {
  const all = { ...dims, ...extra };
  const keys = Object.keys(all);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${snake(k)}="${String(all[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
};

/**
 * Prometheus text exposition (format 0.0.4) of the registry: counters as `_total`, gauges as is, timings as a
 * summary (`_sum`, `_count`) plus a `_max` gauge. Metric names come from metricNames.ts, in snake case.
 */
export function prometheusText(series: readonly MetricSeries[]): string {
  const byName = new Map<string, MetricSeries[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const out: string[] = [];
  for (const [name, list] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const base = PREFIX + snake(name);
    const kind = list[0]!.kind;
    if (kind === 'counter') {
      out.push(`# TYPE ${base}_total counter`);
      for (const s of list) out.push(`${base}_total${labels(s.dimensions)} ${s.value}`);
    } else if (kind === 'gauge') {
      out.push(`# TYPE ${base} gauge`);
      for (const s of list) out.push(`${base}${labels(s.dimensions)} ${s.value}`);
    } else {
      out.push(`# TYPE ${base} summary`);
      for (const s of list) {
        out.push(`${base}_sum${labels(s.dimensions)} ${s.value}`);
        out.push(`${base}_count${labels(s.dimensions)} ${s.samples}`);
      }
      out.push(`# TYPE ${base}_max gauge`);
      for (const s of list) out.push(`${base}_max${labels(s.dimensions)} ${s.max}`);
    }
  }
  return out.join('\n') + '\n';
}
