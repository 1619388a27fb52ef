import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '../../../common/aws/clientConfig';
import type { TransferConfig } from '../../../common/config/transferConfig';

export interface AwsClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  secretsManager: SecretsManagerClient;
}

/**
 * The SDK clients, built once per Lambda container with the project's one client configuration (an endpoint
 * override gets HTTP/1.1 and timeouts). S3 also gets path-style addressing for an emulator and checksums only when
 * required (s3rver stores aws-chunked framing inside objects otherwise;
 * docs/reference/local-emulators.md#s3rver). Real AWS uses the SDK
 * defaults and the Lambda role.
 */
export function createAwsClients(
  endpoints: TransferConfig['endpoints'],
  /** Tests and local tools: region and static credentials for emulators. */
  base: { region?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): AwsClients {
  const config = (endpoint: string | undefined) => awsClientConfig({ ...base, endpoint, requestTimeoutMillis: 30000 });
  return {
    s3: new S3Client({
      ...config(endpoints.s3),
      ...(endpoints.s3 ? { forcePathStyle: true } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
    sqs: new SQSClient(config(endpoints.sqs)),
    dynamodb: new DynamoDBClient(config(endpoints.dynamodb)),
    secretsManager: new SecretsManagerClient(config(endpoints.secretsManager)),
  };
}
