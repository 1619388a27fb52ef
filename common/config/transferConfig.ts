import { z } from 'zod';
import { type Env, enumFrom, intFrom, optionalString, parseSection } from './env';

export const TRANSFER_CSV_LAYOUTS = ['standard', 'extended'] as const;

/** Where the historical-feed transfer (Lambda, or `npm start` locally) reads, remembers and delivers. */
export interface TransferConfig {
  sftp: SftpConfig;
  /** DynamoDB table of exported contacts; absent: no cross-object de-duplication (local use only). */
  dedupTable: string | undefined;
  dedupTtlSeconds: number;
  /** The queue the scheduled drain mode long-polls; absent for the SQS event-source mode. */
  queueUrl: string | undefined;
  csvLayout: (typeof TRANSFER_CSV_LAYOUTS)[number];
  /** Prefix (in the source bucket) under which records that are not valid CTRs are written. */
  quarantinePrefix: string;
  drain: { waitTimeSeconds: number; visibilityTimeoutSeconds: number; stopBeforeTimeoutMillis: number };
  /** Endpoint overrides (emulators); each one switches that client to HTTP/1.1 (and path-style for S3). */
  endpoints: { s3?: string; sqs?: string; dynamodb?: string; secretsManager?: string };
}

export interface SftpConfig {
  host: string;
  port: number;
  /** May come from the secret instead. */
  username: string | undefined;
  /** Local use only; in AWS the credentials come from Secrets Manager (`secretArn`). */
  password: string | undefined;
  privateKey: string | undefined;
  passphrase: string | undefined;
  /** Secrets Manager secret holding JSON {username?, password?, privateKey?, passphrase?}. */
  secretArn: string | undefined;
  /** Pinned host key: base64 SHA-256 of the key blob, as `ssh-keygen -lf` prints it (with or without `SHA256:`). */
  hostKeySha256: string;
  remoteDir: string;
  readyTimeoutMillis: number;
  attempts: number;
  retryBaseMillis: number;
  retryMaxMillis: number;
}

const FINGERPRINT = /^(SHA256:)?[A-Za-z0-9+/]{43}=?$/;

const schema = z
  .object({
    SFTP_HOST: optionalString,
    SFTP_PORT: intFrom(22, 1, 65535),
    SFTP_USERNAME: optionalString,
    SFTP_PASSWORD: optionalString,
    SFTP_PRIVATE_KEY: optionalString,
    SFTP_PASSPHRASE: optionalString,
    SFTP_SECRET_ARN: optionalString,
    SFTP_HOST_KEY_SHA256: optionalString,
    SFTP_REMOTE_DIR: optionalString,
    SFTP_READY_TIMEOUT_MS: intFrom(10000, 100, 120000),
    SFTP_ATTEMPTS: intFrom(4, 1, 20),
    SFTP_RETRY_BASE_MS: intFrom(500, 1, 60000),
    SFTP_RETRY_MAX_MS: intFrom(8000, 1, 300000),
    DEDUP_TABLE: optionalString,
    DEDUP_TTL_DAYS: intFrom(45, 1, 3650),
    QUEUE_URL: optionalString,
    CSV_LAYOUT: enumFrom([...TRANSFER_CSV_LAYOUTS], 'standard'),
    QUARANTINE_PREFIX: optionalString,
    DRAIN_WAIT_TIME_SECONDS: intFrom(20, 0, 20),
    DRAIN_VISIBILITY_TIMEOUT_SECONDS: intFrom(0, 0, 43200),
    DRAIN_STOP_BEFORE_TIMEOUT_MS: intFrom(60000, 0, 900000),
    AWS_ENDPOINT_URL_S3: optionalString,
    AWS_ENDPOINT_URL_SQS: optionalString,
    AWS_ENDPOINT_URL_DYNAMODB: optionalString,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: optionalString,
  })
  .transform((e, ctx) => {
    const issue = (path: string, message: string): void => {
      ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (!e.SFTP_HOST) issue('SFTP_HOST', 'is required');
    if (!e.SFTP_HOST_KEY_SHA256) issue('SFTP_HOST_KEY_SHA256', 'is required (the host key is always pinned)');
    else if (!FINGERPRINT.test(e.SFTP_HOST_KEY_SHA256))
      issue('SFTP_HOST_KEY_SHA256', 'must be a SHA-256 fingerprint as printed by ssh-keygen -lf (SHA256:…)');
    if (!e.SFTP_SECRET_ARN && !e.SFTP_PASSWORD && !e.SFTP_PRIVATE_KEY)
      issue('SFTP_SECRET_ARN', 'is required unless SFTP_PASSWORD or SFTP_PRIVATE_KEY is set (local use)');
    if (!e.SFTP_SECRET_ARN && !e.SFTP_USERNAME) issue('SFTP_USERNAME', 'is required unless the secret holds it');
    const config: TransferConfig = {
      sftp: {
        host: e.SFTP_HOST ?? '',
        port: e.SFTP_PORT,
        username: e.SFTP_USERNAME,
        password: e.SFTP_PASSWORD,
        // Environment variables cannot hold newlines everywhere: accept a PEM with literal \n.
        privateKey: e.SFTP_PRIVATE_KEY?.replace(/\\n/g, '\n'),
        passphrase: e.SFTP_PASSPHRASE,
        secretArn: e.SFTP_SECRET_ARN,
        hostKeySha256: e.SFTP_HOST_KEY_SHA256 ?? '',
        remoteDir: (e.SFTP_REMOTE_DIR ?? '.').replace(/\/+$/, '') || '/',
        readyTimeoutMillis: e.SFTP_READY_TIMEOUT_MS,
        attempts: e.SFTP_ATTEMPTS,
        retryBaseMillis: e.SFTP_RETRY_BASE_MS,
        retryMaxMillis: Math.max(e.SFTP_RETRY_MAX_MS, e.SFTP_RETRY_BASE_MS),
      },
      dedupTable: e.DEDUP_TABLE,
      dedupTtlSeconds: e.DEDUP_TTL_DAYS * 86400,
      queueUrl: e.QUEUE_URL,
      csvLayout: e.CSV_LAYOUT,
      quarantinePrefix: (e.QUARANTINE_PREFIX ?? 'quarantine').replace(/\/+$/, '') + '/',
      drain: {
        waitTimeSeconds: e.DRAIN_WAIT_TIME_SECONDS,
        visibilityTimeoutSeconds: e.DRAIN_VISIBILITY_TIMEOUT_SECONDS,
        stopBeforeTimeoutMillis: e.DRAIN_STOP_BEFORE_TIMEOUT_MS,
      },
      endpoints: {
        s3: e.AWS_ENDPOINT_URL_S3,
        sqs: e.AWS_ENDPOINT_URL_SQS,
        dynamodb: e.AWS_ENDPOINT_URL_DYNAMODB,
        secretsManager: e.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      },
    };
    return config;
  });

export const readTransferConfig = (env: Env): TransferConfig => parseSection(schema, env);
