import { METRICS_NAMESPACE, METRIC_UNITS } from './metricNames';
import type { MetricSeries, MetricsRegistry } from './metrics';

/**
 * The project's one writer of CloudWatch embedded metric format: one JSON document per dimension set, values for
 * the interval since the previous call (counters as deltas, gauges as last value, timings as the mean of the
 * interval's samples). CloudWatch Logs extracts the metrics from the log line: no PutMetricData call. The consumer
 * writes to stderr (the awslogs driver, or the JVM's echo of a KCL child's stderr, ships it); the Lambda one
 * document per invocation to its log.
 */
export class EmfDocumentBuilder {
  private readonly previous = new Map<string, { value: number; samples: number }>();

  constructor(
    private readonly namespace = METRICS_NAMESPACE,
    private readonly baseDimensions: Record<string, string> = {},
  ) {}

  build(series: readonly MetricSeries[], timestamp = Date.now()): object[] {
    const groups = new Map<string, { dimensions: Record<string, string>; values: Map<string, number> }>();
    for (const s of series) {
      const key = `${s.name}|${JSON.stringify(s.dimensions)}`;
      const before = this.previous.get(key) ?? { value: 0, samples: 0 };
      this.previous.set(key, { value: s.value, samples: s.samples });
      let value: number;
      if (s.kind === 'counter') value = s.value - before.value;
      else if (s.kind === 'gauge') value = s.value;
      else {
        const samples = s.samples - before.samples;
        if (samples === 0) continue;
        value = (s.value - before.value) / samples;
      }
      if (s.kind === 'counter' && value === 0) continue;
      const dimensions = { ...this.baseDimensions, ...s.dimensions };
      const groupKey = JSON.stringify(Object.entries(dimensions).sort());
      let group = groups.get(groupKey);
      if (!group) groups.set(groupKey, (group = { dimensions, values: new Map() }));
      group.values.set(s.name, value);
    }
    return [...groups.values()].map(({ dimensions, values }) => ({
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          {
            Namespace: this.namespace,
            Dimensions: [Object.keys(dimensions)],
            Metrics: [...values.keys()].map((name) => ({
              Name: name,
              Unit: METRIC_UNITS[name as keyof typeof METRIC_UNITS] ?? 'None',
            })),
          },
        ],
      },
      ...dimensions,
      ...Object.fromEntries(values),
    }));
  }
}

/** The documents of a registry's values (one interval), as lines. */
export function emfLines(registry: MetricsRegistry, dimensions: Record<string, string>, now = Date.now()): string[] {
  return new EmfDocumentBuilder(METRICS_NAMESPACE, dimensions)
    .build(registry.snapshot(), now)
    .map((d) => JSON.stringify(d));
}
