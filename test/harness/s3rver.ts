import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { httpReady, type RunningProcess, startProcess } from './processes';

export interface S3rver {
  endpoint: string;
  client: S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
  server: RunningProcess;
}

/**
 * s3rver on a free loopback port with the two workarounds of docs/reference/local-emulators.md#s3rver: the legacy
 * OpenSSL provider (paginated listings) and checksums only when required (else streamed bodies are stored with
 * aws-chunked framing).
 */
export async function startS3rver(): Promise<S3rver> {
  const dir = mkdtempSync(join(tmpdir(), 'cwfm-s3rver-data-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await startProcess({
    name: 's3rver',
    command: process.execPath,
    args: [
      '--openssl-legacy-provider',
      join(__dirname, '..', '..', 'node_modules', 's3rver', 'bin', 's3rver.js'),
      '-d',
      dir,
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      '-s',
    ],
    ready: httpReady(endpoint),
  });
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({ requestTimeout: 10000 }),
  });
  return {
    endpoint,
    client,
    server,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    stop: async () => {
      client.destroy();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
