import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricSeries } from '../../../common/observability/metrics';
import { prometheusText } from './prometheusText';

export interface HealthStatus {
  healthy: boolean;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface HealthServerOptions {
  port: number;
  host?: string;
  /** What `/metrics` serves (a registry's snapshot, or in KCL mode the children's series as well). */
  series: () => readonly MetricSeries[];
  /** Ready when every shard is reading and WFM accepts posts. */
  health: () => HealthStatus;
}

/** `GET /healthz` (200 ready / 503 not, JSON) and `GET /metrics` (Prometheus text): direct mode, or KCL mode's monitor. */
export class HealthServer {
  private constructor(private readonly server: Server) {}

  static async start(options: HealthServerOptions): Promise<HealthServer> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET') {
        res.writeHead(405).end();
      } else if (path === '/healthz') {
        const status = options.health();
        const body = JSON.stringify({ status: status.healthy ? 'ok' : 'unavailable', ...status });
        res.writeHead(status.healthy ? 200 : 503, { 'Content-Type': 'application/json' }).end(body);
      } else if (path === '/metrics') {
        res
          .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
          .end(prometheusText(options.series()));
      } else res.writeHead(404).end();
    });
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
    });
    return new HealthServer(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
