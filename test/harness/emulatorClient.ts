import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RunningProcess } from './processes';

/**
 * SDK client settings for an emulator on 127.0.0.1: test credentials and HTTP/1.1 (the emulators break on the SDK's
 * default HTTP/2 handler, docs/reference/local-emulators.md#http11-clients).
 */
export function emulatorClientConfig(endpoint: string, requestTimeout: number) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler({ requestTimeout }),
  };
}

/** An emulator process with its client; `stop()` closes the client before the server. */
export interface RunningEmulator<C> {
  endpoint: string;
  client: C;
  server: RunningProcess;
  stop(): Promise<void>;
}

export function runningEmulator<C extends { destroy(): void }>(
  endpoint: string,
  client: C,
  server: RunningProcess,
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
