import type { ConnectClient } from '@aws-sdk/client-connect';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';

export interface AwsClientOptions {
  region: string;
  /** An endpoint override (emulator): the client then speaks HTTP/1.1, since the emulators break on HTTP/2. */
  endpoint?: string;
  requestTimeoutMillis?: number;
}

/*
 * The only place SDK clients are built. Credentials come from the SDK's default chain (env, ECS task role, ...).
 * Against real AWS the SDK's own handlers are kept (Kinesis uses HTTP/2, which EFO needs).
 * The SDK packages are loaded on first use: a KCL child with the file store needs neither (each costs 10-15 MB RSS,
 * multiplied by the shards of a worker).
 */
/* eslint-disable @typescript-eslint/no-require-imports */

function overrides(options: AwsClientOptions) {
  if (!options.endpoint) return { region: options.region };
  const { NodeHttpHandler } = require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
  return {
    region: options.region,
    endpoint: options.endpoint,
    requestHandler: new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMillis ?? 10000,
      connectionTimeout: 5000,
    }),
  };
}

export function createKinesisClient(options: AwsClientOptions): KinesisClient {
  const sdk = require('@aws-sdk/client-kinesis') as typeof import('@aws-sdk/client-kinesis');
  return new sdk.KinesisClient(overrides(options));
}

export function createDynamoDbClient(options: AwsClientOptions): DynamoDBClient {
  const sdk = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  return new sdk.DynamoDBClient(overrides(options));
}

/**
 * Amazon Connect (GetCurrentUserData, ListRoutingProfiles, ListUsers). One attempt per send: the Connect reader
 * retries throttling itself, under its own request rate, so every call it makes is paced and counted.
 */
export function createConnectClient(options: AwsClientOptions): ConnectClient {
  const sdk = require('@aws-sdk/client-connect') as typeof import('@aws-sdk/client-connect');
  return new sdk.ConnectClient({ ...overrides(options), maxAttempts: 1 });
}
