import { ConsumerMetric, METRICS_NAMESPACE } from '../../../../common/observability/metricNames';
import { MetricsRegistry } from '../../../../common/observability/metrics';
import { EmfPublisher } from '../../../../consumer/src/observability/EmfPublisher';

describe('EmfPublisher', () => {
  test('publishes counters as deltas per interval, gauges as last value, timings as the interval mean', () => {
    // Prepare
    const registry = new MetricsRegistry();
    const lines: string[] = [];
    const publisher = new EmfPublisher({ registry, intervalMillis: 3600000, write: (l) => lines.push(l) });
    registry.count(ConsumerMetric.RecordsProcessed, 10);
    registry.gauge(ConsumerMetric.AgentsTracked, 7);
    registry.timing(ConsumerMetric.PostLatency, 100);
    registry.timing(ConsumerMetric.PostLatency, 300);
    // Act
    publisher.publish();
    registry.count(ConsumerMetric.RecordsProcessed, 5);
    publisher.stop();
    // Assess
    const [first, second] = lines.map(
      (l) =>
        JSON.parse(l) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[] };
        },
    );
    expect(first).toMatchObject({ RecordsProcessed: 10, AgentsTracked: 7, PostLatency: 200 });
    expect(first!._aws.CloudWatchMetrics[0]!.Namespace).toBe(METRICS_NAMESPACE);
    expect(first!._aws.CloudWatchMetrics[0]!.Metrics).toContainEqual({ Name: 'PostLatency', Unit: 'Milliseconds' });
    expect(second).toMatchObject({ RecordsProcessed: 5, AgentsTracked: 7 });
    expect(second).not.toHaveProperty('PostLatency');
  });
});
