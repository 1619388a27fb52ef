import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** WFM's reply is only read for its error text: more than this is not kept (a proxy may answer with a whole page). */
const MAX_REPLY_BYTES = 64 * 1024;

export interface JsonReply {
  status: number;
  /** The reply parsed as JSON, or its text when it is not JSON. */
  data: unknown;
}

/** A network failure or the timeout: no HTTP status was received. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

/**
 * POSTs JSON with Node's own http/https (keep-alive, TLS certificates always verified, redirects never followed);
 * `timeoutMillis` bounds the whole exchange. A KCL child runs one of these per shard: Node's client costs nothing
 * to load, where an HTTP library added ~6 MB to every child's RSS (bench:kcl-memory).
 */
export class JsonPoster {
  private readonly url: URL;
  private readonly agent: HttpAgent;

  constructor(
    url: string,
    private readonly timeoutMillis: number,
  ) {
    this.url = new URL(url);
    this.agent =
      this.url.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: true })
        : new HttpAgent({ keepAlive: true });
  }

  post(body: unknown): Promise<JsonReply> {
    const payload = JSON.stringify(body);
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<JsonReply>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, reply?: JsonReply): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(reply!);
      };
      const request = send(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (size >= MAX_REPLY_BYTES) return;
            chunks.push(chunk);
            size += chunk.length;
          });
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_REPLY_BYTES);
            finish(undefined, { status: response.statusCode ?? 0, data: parseOrText(text) });
          });
          response.on('error', (error) => finish(network(error)));
          response.on('close', () => {
            if (!response.complete) finish(new NetworkError('connection closed before the reply ended', 'ECONNRESET'));
          });
        },
      );
      const timer = setTimeout(() => {
        finish(new NetworkError(`timeout of ${this.timeoutMillis}ms exceeded`, 'ETIMEDOUT'));
        request.destroy();
      }, this.timeoutMillis);
      request.on('error', (error) => finish(network(error)));
      request.end(payload);
    });
  }
}

function network(error: Error): NetworkError {
  const code = (error as { code?: unknown }).code;
  return new NetworkError(error.message, typeof code === 'string' ? code : undefined);
}

function parseOrText(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
