import { METRIC_UNITS, METRICS_NAMESPACE } from '../../../common/observability/metricNames';
import type { MetricsRegistry } from '../../../common/observability/metrics';

/**
 * One CloudWatch embedded-metric-format line for an invocation's counters (Lambda ships log lines to CloudWatch,
 * which extracts the metrics: no PutMetricData call, no extra latency).
 */
export function emfLine(registry: MetricsRegistry, functionName: string, now = Date.now()): string | null {
  const totals = new Map<string, number>();
  for (const s of registry.snapshot()) totals.set(s.name, (totals.get(s.name) ?? 0) + s.value);
  if (totals.size === 0) return null;
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['FunctionName']],
          Metrics: [...totals.keys()].map((name) => ({
            Name: name,
            Unit: METRIC_UNITS[name as keyof typeof METRIC_UNITS],
          })),
        },
      ],
    },
    FunctionName: functionName,
    ...Object.fromEntries(totals),
  });
}
