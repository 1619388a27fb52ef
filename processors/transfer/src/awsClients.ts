import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { TransferConfig } from '../../../common/config/transferConfig';

export interface AwsClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  secretsManager: SecretsManagerClient;
}

/**
 * The SDK clients, built once per Lambda container. An endpoint override (an emulator) gets an HTTP/1.1 handler with
 * timeouts; S3 also gets path-style addressing and checksums only when required (s3rver stores aws-chunked framing
 * inside objects otherwise; docs/reference/local-emulators.md#s3rver). Real AWS uses the SDK defaults and the Lambda
 * role.
 */
export function createAwsClients(
  endpoints: TransferConfig['endpoints'],
  /** Tests and local tools: region and static credentials for emulators. */
  base: { region?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): AwsClients {
  const local = (endpoint: string | undefined) =>
    endpoint
      ? { ...base, endpoint, requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30000 }) }
      : base;
  return {
    s3: new S3Client({
      ...local(endpoints.s3),
      ...(endpoints.s3 ? { forcePathStyle: true } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
    sqs: new SQSClient(local(endpoints.sqs)),
    dynamodb: new DynamoDBClient(local(endpoints.dynamodb)),
    secretsManager: new SecretsManagerClient(local(endpoints.secretsManager)),
  };
}
