import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ThrottlingProxyOptions {
  /** The real emulator. */
  target: string;
  /** GetRecords calls allowed per second in total (Kinesis: 5 per shard, shared by every consumer). */
  getRecordsPerSecond: number;
  /** Additionally refuse this share of GetRecords calls (bursts from other consumers of the stream). */
  throttleShare?: number;
}

/**
 * An HTTP proxy in front of kinesis-mock that enforces Kinesis's read limit, which the emulator does not: a
 * GetRecords over the budget gets the real service's answer, 400 ProvisionedThroughputExceededException.
 * Everything else is forwarded untouched.
 */
export class KinesisThrottlingProxy {
  throttled = 0;
  forwarded = 0;
  private readonly calls: number[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: ThrottlingProxyOptions,
  ) {}

  static async start(options: ThrottlingProxyOptions): Promise<KinesisThrottlingProxy> {
    const server = createServer();
    const proxy = new KinesisThrottlingProxy(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => proxy.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.endsWith('.GetRecords') && this.overBudget()) {
      this.throttled++;
      req.resume();
      const body = JSON.stringify({
        __type: 'ProvisionedThroughputExceededException',
        message: 'Rate exceeded for shard',
      });
      res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    this.forwarded++;
    const url = new URL(req.url ?? '/', this.options.target);
    const upstream = request(url, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  private overBudget(): boolean {
    const now = Date.now();
    while (this.calls.length > 0 && this.calls[0]! <= now - 1000) this.calls.shift();
    if (this.calls.length >= this.options.getRecordsPerSecond) return true;
    if (Math.random() < (this.options.throttleShare ?? 0)) return true;
    this.calls.push(now);
    return false;
  }
}
