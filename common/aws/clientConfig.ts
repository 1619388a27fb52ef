export interface AwsClientOptions {
  /** Omitted: the SDK's default (AWS_REGION in Lambda and ECS). */
  region?: string;
  /** An endpoint override (an emulator): HTTP/1.1 (docs/reference/local-emulators.md#http11-clients). */
  endpoint?: string;
  requestTimeoutMillis?: number;
  /** Static credentials (emulators only); otherwise the SDK's default chain (env, ECS task role, Lambda role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The settings every SDK client of this project is built with (common/aws/clients.ts for the consumer, the doctor
 * and the tools; processors/transfer/src/awsClients.ts for the Lambda, which bundles only the SDKs it needs).
 * Against real AWS the SDK's own handlers are kept (Kinesis uses HTTP/2, which EFO needs).
 */
export function awsClientConfig(options: AwsClientOptions) {
  // Loaded only for an emulator: a KCL child on the file store loads no SDK code at all.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NodeHttpHandler } = require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          requestHandler: new NodeHttpHandler({
            requestTimeout: options.requestTimeoutMillis ?? 10000,
            connectionTimeout: 5000,
          }),
        }
      : {}),
  };
}
