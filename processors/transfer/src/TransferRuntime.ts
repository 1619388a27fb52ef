import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { TransferConfig } from '../../../common/config/transferConfig';
import type { Logger } from '../../../common/logging/logger';
import type { Metrics } from '../../../common/observability/metrics';
import type { AwsClients } from './awsClients';
import type { Deduplicator } from './dedup/Deduplicator';
import { InMemoryDeduplicator } from './dedup/InMemoryDeduplicator';
import { DynamoDbDeduplicator } from './dedup/DynamoDbDeduplicator';
import { S3ObjectStore, type ObjectRef } from './s3/S3ObjectStore';
import { resolveSftpCredentials } from './sftp/resolveSftpCredentials';
import { type SftpCredentials, SftpUploader } from './sftp/SftpUploader';
import { drainQueue, type DrainResult } from './sqs/drainQueue';
import { processSqsBatch } from './sqs/processSqsBatch';
import { transferObject, type TransferOutcome } from './transferObject';
import { SftpAuthenticationError, SftpPrivateKeyError } from './errors';

/**
 * The composition root, without a container: config + clients in, the two invocation shapes out. One instance per
 * Lambda container (clients and the resolved SFTP credentials are reused); each invocation gets its own SFTP
 * connection, closed when the invocation ends. `npm start` and tests build it the same way with emulator endpoints.
 */
export class TransferRuntime {
  private credentials: Promise<SftpCredentials> | null = null;
  private readonly store: S3ObjectStore;

  constructor(
    private readonly config: TransferConfig,
    private readonly clients: AwsClients,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {
    this.store = new S3ObjectStore(clients.s3);
  }

  /** SQS event-source mapping (ReportBatchItemFailures). */
  async processBatch(event: SQSEvent, remainingMillis?: () => number): Promise<SQSBatchResponse> {
    return this.withUploader((transfer) =>
      processSqsBatch(event, transfer, {
        logger: this.logger,
        metrics: this.metrics,
        remainingMillis,
        stopBeforeTimeoutMillis: this.config.drain.stopBeforeTimeoutMillis,
      }),
    );
  }

  /** Scheduled drain of QUEUE_URL. */
  async drain(remainingMillis: () => number): Promise<DrainResult> {
    const queueUrl = this.config.queueUrl;
    if (!queueUrl) throw new Error('drain mode needs QUEUE_URL');
    return this.withUploader((transfer) =>
      drainQueue(transfer, {
        client: this.clients.sqs,
        queueUrl,
        ...this.config.drain,
        remainingMillis,
        logger: this.logger,
        metrics: this.metrics,
      }),
    );
  }

  /** One object, on a connection of its own (tools, tests). */
  async transferOne(ref: ObjectRef): Promise<TransferOutcome> {
    return this.withUploader((transfer) => transfer(ref));
  }

  private async withUploader<T>(
    work: (transfer: (ref: ObjectRef) => Promise<TransferOutcome>) => Promise<T>,
  ): Promise<T> {
    const { sftp } = this.config;
    let uploader: SftpUploader | null = null;
    const lazyUploader = async (): Promise<SftpUploader> => {
      if (uploader) return uploader;
      this.credentials ??= resolveSftpCredentials(sftp, this.clients.secretsManager);
      const credentials = await this.credentials.catch((e: unknown) => {
        this.credentials = null;
        throw e;
      });
      uploader = new SftpUploader({ ...sftp, credentials, logger: this.logger });
      return uploader;
    };
    const transfer = async (ref: ObjectRef): Promise<TransferOutcome> => {
      try {
        return await transferObject(ref, {
          store: this.store,
          uploader: await lazyUploader(),
          layout: this.config.csvLayout,
          quarantinePrefix: this.config.quarantinePrefix,
          limits: this.config.limits,
          deduplicator: (sourceKey) => this.deduplicator(sourceKey),
          metrics: this.metrics,
          logger: this.logger,
        });
      } catch (e) {
        // A rotated or corrected secret: fetch it again on the next invocation.
        if (e instanceof SftpAuthenticationError || e instanceof SftpPrivateKeyError) this.credentials = null;
        throw e;
      }
    };
    try {
      return await work(transfer);
    } finally {
      const u = uploader as SftpUploader | null;
      if (u) await u.close();
    }
  }

  /** Across objects with DEDUP_TABLE; without it (local use) only within the object. */
  private deduplicator(sourceKey: string): Deduplicator {
    if (!this.config.dedupTable) return new InMemoryDeduplicator(this.config.csvLayout);
    return new DynamoDbDeduplicator({
      client: this.clients.dynamodb,
      tableName: this.config.dedupTable,
      layout: this.config.csvLayout,
      ttlSeconds: this.config.dedupTtlSeconds,
      sourceKey,
    });
  }
}
