import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { join } from 'node:path';
import { freePort } from './ports';
import { httpReady, type RunningProcess, startProcess } from './processes';

export interface KinesisLocal {
  /** Plain-HTTP endpoint. */
  endpoint: string;
  client: KinesisClient;
  stop(): Promise<void>;
  server: RunningProcess;
}

/** kinesis-mock (`kinesis-local`) on two free ports, with fast stream operations. */
export async function startKinesisLocal(extraEnv: Record<string, string> = {}): Promise<KinesisLocal> {
  const pkg = join(__dirname, '..', '..', 'node_modules', 'kinesis-local');
  const plain = await freePort();
  const tls = await freePort();
  const endpoint = `http://127.0.0.1:${plain}`;
  const server = await startProcess({
    name: 'kinesis-local',
    command: process.execPath,
    args: [join(pkg, 'main.js')],
    env: {
      KINESIS_MOCK_PLAIN_PORT: String(plain),
      KINESIS_MOCK_TLS_PORT: String(tls),
      KINESIS_MOCK_CERT_PATH: join(pkg, 'server.json'),
      LOG_LEVEL: 'WARN',
      CREATE_STREAM_DURATION: '50ms',
      DELETE_STREAM_DURATION: '50ms',
      SPLIT_SHARD_DURATION: '50ms',
      MERGE_SHARDS_DURATION: '50ms',
      UPDATE_SHARD_COUNT_DURATION: '50ms',
      REGISTER_STREAM_CONSUMER_DURATION: '50ms',
      ...extraEnv,
    },
    ready: httpReady(`${endpoint}/healthcheck`, true),
  });
  // The SDK's default HTTP/2 handler breaks on the emulator; HTTP/1.1 works (see local-aws-emulators.md).
  const client = new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler({ requestTimeout: 10000 }),
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
