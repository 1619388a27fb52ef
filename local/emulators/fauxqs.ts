import { SQSClient } from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { emulatorClientConfig, type RunningEmulator, runningEmulator } from './emulatorClient';
import { freePort } from './freePort';
import { packageDir } from './packageDir';
import { httpReady, ServiceProcess } from './serviceProcess';

export type Fauxqs = RunningEmulator<SQSClient>;

/**
 * fauxqs 1.9.2 (SQS, JSON 1.0 protocol) on a free port; it always binds 0.0.0.0
 * (docs/reference/local-emulators.md#fauxqs).
 */
export async function startFauxqs(): Promise<Fauxqs> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await ServiceProcess.start({
    name: 'fauxqs',
    command: join(packageDir('fauxqs'), 'dist', 'cli.js'),
    env: { FAUXQS_PORT: String(port), FAUXQS_HOST: '127.0.0.1', FAUXQS_LOGGER: 'false' },
    ready: httpReady(`${endpoint}/health`, true),
  });
  return runningEmulator(endpoint, new SQSClient(emulatorClientConfig(endpoint, 30000)), server);
}
