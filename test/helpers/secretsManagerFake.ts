import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsManagerFake {
  endpoint: string;
  /** SecretString by ARN; change it to rotate or correct a secret. */
  secrets: Map<string, string>;
  /** GetSecretValue calls answered so far. */
  reads: number;
  stop(): Promise<void>;
}

/**
 * Secrets Manager's GetSecretValue over its real wire protocol (JSON 1.1, `X-Amz-Target`), for the SDK client with an
 * endpoint override: there is no local Secrets Manager among the emulators. Unknown secrets and other operations get
 * the documented error shapes.
 */
export async function startSecretsManagerFake(): Promise<SecretsManagerFake> {
  const fake = { secrets: new Map<string, string>(), reads: 0 } as SecretsManagerFake;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      };
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
        return reply(400, { __type: 'InvalidRequestException', message: 'operation not supported by the fake' });
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
      const value = SecretId === undefined ? undefined : fake.secrets.get(SecretId);
      if (value === undefined)
        return reply(400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        });
      fake.reads++;
      reply(200, { ARN: SecretId, Name: SecretId, SecretString: value, VersionId: `v${fake.reads}`, CreatedDate: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.stop = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}
