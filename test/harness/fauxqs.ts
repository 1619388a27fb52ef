import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { join } from 'node:path';
import { freePort } from './ports';
import { httpReady, type RunningProcess, startProcess } from './processes';

export interface Fauxqs {
  endpoint: string;
  client: SQSClient;
  stop(): Promise<void>;
  server: RunningProcess;
}

/** fauxqs 1.9.2 (SQS, JSON 1.0 protocol) on a free port; it always binds 0.0.0.0 (local-aws-emulators.md §5). */
export async function startFauxqs(): Promise<Fauxqs> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await startProcess({
    name: 'fauxqs',
    command: process.execPath,
    args: [join(__dirname, '..', '..', 'node_modules', 'fauxqs', 'dist', 'cli.js')],
    env: { FAUXQS_PORT: String(port), FAUXQS_HOST: '127.0.0.1', FAUXQS_LOGGER: 'false' },
    ready: httpReady(`${endpoint}/health`, true),
  });
  const client = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler({ requestTimeout: 30000 }),
  });
  return {
    endpoint,
    client,
    server,
    stop: async () => {
      client.destroy();
      await server.stop();
    },
  };
}
