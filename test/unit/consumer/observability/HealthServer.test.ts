import { ConsumerMetric } from '../../../../common/observability/metricNames';
import { MetricsRegistry } from '../../../../common/observability/metrics';
import { HealthServer } from '../../../../consumer/src/observability/HealthServer';

describe('HealthServer', () => {
  test('/healthz follows the health callback; /metrics serves the registry as Prometheus text', async () => {
    // Prepare
    const registry = new MetricsRegistry();
    registry.count(ConsumerMetric.RecordsProcessed, 42);
    registry.gauge(ConsumerMetric.MillisBehindLatest, 1500, { ShardId: 'shardId-000000000001' });
    registry.timing(ConsumerMetric.PostLatency, 30);
    registry.timing(ConsumerMetric.PostLatency, 50);
    let healthy = true;
    const server = await HealthServer.start({
      port: 0,
      host: '127.0.0.1',
      series: () => registry.snapshot(),
      health: () => (healthy ? { healthy } : { healthy, reason: 'WFM rejects the key' }),
    });
    const base = `http://127.0.0.1:${server.port}`;
    try {
      // Act
      const ok = await fetch(`${base}/healthz`);
      healthy = false;
      const down = await fetch(`${base}/healthz`);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      // Assess
      expect(ok.status).toBe(200);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'unavailable', reason: 'WFM rejects the key' });
      expect(metrics).toContain(
        '# TYPE connect_wfm_records_processed_total counter\nconnect_wfm_records_processed_total 42',
      );
      expect(metrics).toContain('connect_wfm_millis_behind_latest{shard_id="shardId-000000000001"} 1500');
      expect(metrics).toContain('connect_wfm_post_latency_sum 80\nconnect_wfm_post_latency_count 2');
      expect(metrics).toContain('connect_wfm_post_latency_max 50');
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
