import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ThrottlingProxyOptions {
  /** The real emulator. */
  target: string;
  /** GetRecords calls allowed per second in total (Kinesis: 5 per shard, shared by every consumer); unlimited if unset. */
  getRecordsPerSecond?: number;
  /** Additionally refuse this share of GetRecords calls (bursts from other consumers of the stream). */
  throttleShare?: number;
}

/**
 * An HTTP proxy in front of kinesis-mock that enforces Kinesis's read limit, which the emulator does not: a
 * GetRecords over the budget gets the real service's answer, 400 ProvisionedThroughputExceededException.
 * It can also hold a shard's GetShardIterator calls (a reader of that shard that is slow to start, forced instead
 * of hoped for). Everything else is forwarded untouched.
 */
export class KinesisThrottlingProxy {
  throttled = 0;
  forwarded = 0;
  /** GetRecords calls forwarded. */
  reads = 0;
  private readonly calls: number[] = [];
  private readonly held = new Map<string, (() => void)[]>();

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

  /** Holds every GetShardIterator call for `shardId` until the returned function is called. */
  holdShard(shardId: string): () => void {
    this.held.set(shardId, []);
    return () => {
      const waiting = this.held.get(shardId) ?? [];
      this.held.delete(shardId);
      for (const forward of waiting) forward();
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.endsWith('.GetShardIterator') && this.held.size > 0) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const { ShardId } = JSON.parse(body.toString()) as { ShardId?: string };
        const forward = () => this.forward(req, res, body);
        const waiting = this.held.get(ShardId ?? '');
        if (waiting) waiting.push(forward);
        else forward();
      });
      return;
    }
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
    if (target.endsWith('.GetRecords')) this.reads++;
    this.forward(req, res);
  }

  /** To the emulator: the request as it streams in, or `body` when it was read already. */
  private forward(req: IncomingMessage, res: ServerResponse, body?: Buffer): void {
    this.forwarded++;
    const url = new URL(req.url ?? '/', this.options.target);
    const upstream = request(url, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    if (body) upstream.end(body);
    else req.pipe(upstream);
  }

  private overBudget(): boolean {
    const now = Date.now();
    while (this.calls.length > 0 && this.calls[0]! <= now - 1000) this.calls.shift();
    if (this.calls.length >= (this.options.getRecordsPerSecond ?? Number.POSITIVE_INFINITY)) return true;
    if (Math.random() < (this.options.throttleShare ?? 0)) return true;
    this.calls.push(now);
    return false;
  }
}
