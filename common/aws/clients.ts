import type { ConnectClient } from '@aws-sdk/client-connect';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import { type AwsClientOptions, awsClientConfig } from './clientConfig';

export type { AwsClientOptions };

/*
 * The consumer's, the doctor's and the tools' SDK clients, all with awsClientConfig (the Lambda builds its own four
 * with the same settings, bundling only those SDKs).
 * The SDK packages are loaded on first use: a KCL child with the file store needs neither (each costs 10-15 MB RSS,
 * multiplied by the shards of a worker).
 */
/* eslint-disable @typescript-eslint/no-require-imports */

export function createKinesisClient(options: AwsClientOptions): KinesisClient {
  const sdk = require('@aws-sdk/client-kinesis') as typeof import('@aws-sdk/client-kinesis');
  return new sdk.KinesisClient(awsClientConfig(options));
}

export function createDynamoDbClient(options: AwsClientOptions): DynamoDBClient {
  const sdk = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  return new sdk.DynamoDBClient(awsClientConfig(options));
}

/**
 * Amazon Connect (GetCurrentUserData, ListRoutingProfiles, ListUsers). One attempt per send: the Connect reader
 * retries throttling itself, under its own request rate, so every call it makes is paced and counted.
 */
export function createConnectClient(options: AwsClientOptions): ConnectClient {
  const sdk = require('@aws-sdk/client-connect') as typeof import('@aws-sdk/client-connect');
  return new sdk.ConnectClient({ ...awsClientConfig(options), maxAttempts: 1 });
}

/** S3 for the tools (the simulator's Firehose stand-in): path-style and checksums only when required on an emulator. */
export function createS3Client(options: AwsClientOptions): S3Client {
  const sdk = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  return new sdk.S3Client({
    ...awsClientConfig(options),
    ...(options.endpoint ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' as const } : {}),
  });
}
