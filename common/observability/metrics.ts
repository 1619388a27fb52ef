import type { MetricName } from './metricNames';

export type Dimensions = Record<string, string>;

/**
 * What domain code may do with metrics. Publishing (Prometheus text, CloudWatch EMF) reads a MetricsRegistry;
 * domain code only counts, sets gauges and records timings.
 */
export interface Metrics {
  count(name: MetricName, value?: number, dimensions?: Dimensions): void;
  gauge(name: MetricName, value: number, dimensions?: Dimensions): void;
  timing(name: MetricName, millis: number, dimensions?: Dimensions): void;
}

export interface MetricSeries {
  name: MetricName;
  kind: 'counter' | 'gauge' | 'timing';
  dimensions: Dimensions;
  /** counter: running total; gauge: last value; timing: sum of samples. */
  value: number;
  /** timing only: number of samples and the maximum. */
  samples: number;
  max: number;
}

const seriesKey = (name: string, dims: Dimensions): string =>
  name +
  '|' +
  Object.keys(dims)
    .sort()
    .map((k) => `${k}=${dims[k]}`)
    .join(',');

/** In-memory metrics; cheap enough for the hot path (one Map lookup per call). */
export class MetricsRegistry implements Metrics {
  private readonly series = new Map<string, MetricSeries>();

  count(name: MetricName, value = 1, dimensions: Dimensions = {}): void {
    this.get(name, 'counter', dimensions).value += value;
  }

  gauge(name: MetricName, value: number, dimensions: Dimensions = {}): void {
    this.get(name, 'gauge', dimensions).value = value;
  }

  timing(name: MetricName, millis: number, dimensions: Dimensions = {}): void {
    const s = this.get(name, 'timing', dimensions);
    s.value += millis;
    s.samples += 1;
    s.max = Math.max(s.max, millis);
  }

  /** A copy of every series, for publishers and tests. */
  snapshot(): MetricSeries[] {
    return [...this.series.values()].map((s) => ({ ...s, dimensions: { ...s.dimensions } }));
  }

  /** Sum of a metric over all its dimension sets (counters and gauges). */
  total(name: MetricName): number {
    let sum = 0;
    for (const s of this.series.values()) if (s.name === name) sum += s.value;
    return sum;
  }

  private get(name: MetricName, kind: MetricSeries['kind'], dimensions: Dimensions): MetricSeries {
    const key = seriesKey(name, dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = { name, kind, dimensions: { ...dimensions }, value: 0, samples: 0, max: 0 };
      this.series.set(key, s);
    }
    return s;
  }
}
