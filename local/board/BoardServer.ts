import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BoardAgent } from './AgentBoard';
import { BOARD_HTML } from './boardPage';

export interface BoardFile {
  path: string;
  size: number;
  modifiedMillis: number;
}

/** Everything the page shows, as served by GET /api/board. */
export interface BoardData {
  agents: BoardAgent[];
  files: BoardFile[];
  status: Record<string, number | string>;
  generatedAt: number;
}

/**
 * The live board: a plain HTML page (no build step) polling a JSON endpoint. Read-only, loopback only.
 */
export class BoardServer {
  private constructor(private readonly server: Server) {}

  static async start(options: { port?: number; host?: string; data: () => Promise<BoardData> }): Promise<BoardServer> {
    const server = createServer((req, res) => void handle(req, res, options.data));
    server.keepAliveTimeout = 2000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return new BoardServer(server);
  }

  get url(): string {
    const a = this.server.address() as AddressInfo;
    return `http://${a.address}:${a.port}/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, data: () => Promise<BoardData>): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
  if (path === '/') return send(res, 200, 'text/html; charset=utf-8', BOARD_HTML);
  if (path === '/api/board') {
    try {
      return send(res, 200, 'application/json', JSON.stringify(await data()));
    } catch (error) {
      return send(res, 500, 'application/json', JSON.stringify({ error: String(error) }));
    }
  }
  send(res, 404, 'text/plain', 'not found');
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
