import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface AwsClientOptions {
  region: string;
  /** An endpoint override (emulator): the client then speaks HTTP/1.1, since the emulators break on HTTP/2. */
  endpoint?: string;
  requestTimeoutMillis?: number;
}

/**
 * The only place SDK clients are built. Credentials come from the SDK's default chain (env, ECS task role, ...).
 * Against real AWS the SDK's own handlers are kept (Kinesis uses HTTP/2, which EFO needs).
 */
function overrides(options: AwsClientOptions) {
  if (!options.endpoint) return { region: options.region };
  return {
    region: options.region,
    endpoint: options.endpoint,
    requestHandler: new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMillis ?? 10000,
      connectionTimeout: 5000,
    }),
  };
}

export const createKinesisClient = (options: AwsClientOptions): KinesisClient => new KinesisClient(overrides(options));

export const createDynamoDbClient = (options: AwsClientOptions): DynamoDBClient =>
  new DynamoDBClient(overrides(options));
