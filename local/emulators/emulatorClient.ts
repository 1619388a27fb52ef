import { type AwsClientOptions, awsClientConfig } from '../../common/aws/clientConfig';
import type { ServiceProcess } from './serviceProcess';

export const EMULATOR_REGION = 'us-east-1';
/** s3rver accepts only its own key pair; the other emulators accept any (DynamoDB Local shares one database). */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** SDK client settings for an emulator on 127.0.0.1: the project's one client configuration with test credentials. */
export function emulatorClientConfig(endpoint: string, requestTimeoutMillis: number) {
  const options: AwsClientOptions = {
    endpoint,
    region: EMULATOR_REGION,
    credentials: EMULATOR_CREDENTIALS,
    requestTimeoutMillis,
  };
  return awsClientConfig(options);
}

/** An emulator process with its client; `stop()` closes the client before the server. */
export interface RunningEmulator<C> {
  endpoint: string;
  client: C;
  server: ServiceProcess;
  stop(): Promise<void>;
}

export function runningEmulator<C extends { destroy(): void }>(
  endpoint: string,
  client: C,
  server: ServiceProcess,
): RunningEmulator<C> {
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
