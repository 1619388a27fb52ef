import { KinesisClient } from '@aws-sdk/client-kinesis';
import { join } from 'node:path';
import { emulatorClientConfig, type RunningEmulator, runningEmulator } from './emulatorClient';
import { freePort } from './freePort';
import { packageDir } from './packageDir';
import { httpReady, ServiceProcess } from './serviceProcess';

export type KinesisMock = RunningEmulator<KinesisClient>;

export interface KinesisMockOptions {
  /** Node flags for the emulator (the benchmark gives it a large heap for big streams). */
  nodeArgs?: string[];
  requestTimeoutMillis?: number;
  /** Its output (default: a temporary file). */
  logFile?: string;
}

/**
 * kinesis-mock (the `kinesis-local` package's Node.js build of it) on two free ports, with fast stream operations.
 * Resolved as a package, so it runs from `dist/` too (the benchmarks).
 */
export async function startKinesisMock(options: KinesisMockOptions = {}): Promise<KinesisMock> {
  const pkg = packageDir('kinesis-local');
  const plain = await freePort();
  const tls = await freePort();
  const endpoint = `http://127.0.0.1:${plain}`;
  const server = await ServiceProcess.start({
    name: 'kinesis-mock',
    command: join(pkg, 'main.js'),
    nodeArgs: options.nodeArgs,
    logFile: options.logFile,
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
