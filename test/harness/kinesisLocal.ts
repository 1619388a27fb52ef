import { KinesisClient } from '@aws-sdk/client-kinesis';
import { dirname, join } from 'node:path';
import { emulatorClientConfig, type RunningEmulator, runningEmulator } from './emulatorClient';
import { freePort } from './ports';
import { httpReady, startProcess } from './processes';

export type KinesisLocal = RunningEmulator<KinesisClient>;

export interface KinesisLocalOptions {
  /** Node flags for the emulator (the benchmark gives it a large heap for big streams). */
  nodeArgs?: string[];
  requestTimeoutMillis?: number;
}

/** kinesis-mock (`kinesis-local`) on two free ports, with fast stream operations; from `dist/` too (the benchmark). */
export async function startKinesisLocal(options: KinesisLocalOptions = {}): Promise<KinesisLocal> {
  const pkg = dirname(require.resolve('kinesis-local/package.json'));
  const plain = await freePort();
  const tls = await freePort();
  const endpoint = `http://127.0.0.1:${plain}`;
  const server = await startProcess({
    name: 'kinesis-local',
    command: process.execPath,
    args: [...(options.nodeArgs ?? []), join(pkg, 'main.js')],
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
    },
    ready: httpReady(`${endpoint}/healthcheck`, true),
  });
  return runningEmulator(
    endpoint,
    new KinesisClient(emulatorClientConfig(endpoint, options.requestTimeoutMillis ?? 10000)),
    server,
  );
}
