import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { AgentEventSink } from './types';

/** Agent events as JSON lines (one event per line): the format `connect-wfm replay --input` reads. */
export class JsonLinesEventSink implements AgentEventSink {
  private readonly out: WriteStream;

  constructor(path: string) {
    this.out = createWriteStream(path, { flags: 'w' });
  }

  async write(_event: unknown, json: string): Promise<void> {
    if (!this.out.write(json + '\n')) await once(this.out, 'drain');
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}
