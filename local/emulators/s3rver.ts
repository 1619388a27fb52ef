import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorClientConfig } from './emulatorClient';
import { freePort } from './freePort';
import { packageDir } from './packageDir';
import { httpReady, ServiceProcess } from './serviceProcess';

export interface S3rver {
  endpoint: string;
  client: S3Client;
  /** Where s3rver keeps the objects. */
  directory: string;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
  server: ServiceProcess;
}

export interface S3rverOptions {
  /** Kept after stop (`npm start`'s state directory); a temporary one, removed at stop, when omitted. */
  directory?: string;
  logFile?: string;
}

/**
 * s3rver on a free loopback port with the two workarounds of docs/reference/local-emulators.md#s3rver: the legacy OpenSSL provider
 * (paginated listings) and checksums only when required (else streamed bodies are stored with aws-chunked framing).
 */
export async function startS3rver(options: S3rverOptions = {}): Promise<S3rver> {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'cwfm-s3rver-data-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await ServiceProcess.start({
    name: 's3rver',
    command: join(packageDir('s3rver'), 'bin', 's3rver.js'),
    nodeArgs: ['--openssl-legacy-provider'],
    args: ['-d', directory, '-a', '127.0.0.1', '-p', String(port), '-s'],
    logFile: options.logFile,
    ready: httpReady(endpoint),
  });
  const client = new S3Client({
    ...emulatorClientConfig(endpoint, 30000),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    directory,
    server,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    stop: async () => {
      client.destroy();
      await server.stop();
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}
