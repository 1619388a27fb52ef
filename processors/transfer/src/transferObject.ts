import { Readable } from 'node:stream';
import type { TransferLimits } from '../../../common/config/transferConfig';
import { errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import { TransferMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import { convertCtrStream, type InvalidCtr, newConversionStats } from './ctr/convertCtrStream';
import type { CsvLayout } from './ctr/csvLayout';
import type { Deduplicator } from './dedup/Deduplicator';
import { NoDeduplication } from './dedup/NoDeduplication';
import { decompressIfGzip } from './s3/decompressIfGzip';
import { fitWithHash } from './s3/fitBytes';
import { MAX_S3_KEY_BYTES, quarantineKey } from './s3/quarantineKey';
import { objectKind, remoteFileNameOf } from './s3/remoteFileName';
import type { ObjectRef, S3ObjectStore } from './s3/S3ObjectStore';
import type { SftpUploader } from './sftp/SftpUploader';
import { CorruptObjectError } from './errors';

/** Invalid-record bytes one object may quarantine (they are held in memory until the upload is done). */
export const MAX_QUARANTINE_BYTES = 32 * 1024 * 1024;
/** Invalid records one object may quarantine (one S3 object each). */
export const MAX_QUARANTINE_ITEMS = 1000;

export interface TransferDeps {
  store: S3ObjectStore;
  uploader: SftpUploader;
  layout: CsvLayout;
  quarantinePrefix: string;
  /** Gzip and resync limits (default: the modules' defaults, which the configuration's defaults equal). */
  limits?: TransferLimits;
  /** A fresh deduplicator per attempt (it remembers what the attempt selected). */
  deduplicator?: (sourceKey: string) => Deduplicator;
  metrics: Metrics;
  logger: Logger;
  now?: () => Date;
}

export type TransferOutcome =
  | { status: 'delivered'; remotePath: string; rows?: number; duplicates?: number; quarantined?: number }
  /** Converted, but no row survived (all duplicates or all invalid): no file is created. */
  | { status: 'nothing-to-deliver'; duplicates: number; quarantined: number }
  | { status: 'already-transferred'; mark: string }
  | { status: 'ignored'; reason: string };

/**
 * Delivers one S3 object. Order matters for "never lose, never double": upload (`.part` then rename) → quarantine
 * writes → remember exported contacts → tag the object. A failure anywhere throws, so the SQS message stays and the
 * whole object is tried again; every step is idempotent (same remote name, same quarantine keys, conditional writes).
 */
export async function transferObject(ref: ObjectRef, deps: TransferDeps): Promise<TransferOutcome> {
  const { store, uploader, logger, metrics } = deps;
  const log = logger.child({ bucket: ref.bucket, key: ref.key });
  if (ref.key.startsWith(deps.quarantinePrefix)) return { status: 'ignored', reason: 'quarantine object' };

  const mark = await store.transferredMark(ref);
  if (mark !== null) {
    metrics.count(TransferMetric.DuplicateObjectsSkipped);
    log.info('object already transferred; duplicate event ignored', { mark });
    return { status: 'already-transferred', mark };
  }

  const kind = objectKind(ref.key);
  const { name, altered } = remoteFileNameOf(ref.key, kind);
  if (altered)
    log.warn('remote file name differs from the object name (too long, empty or hidden)', { remoteName: name });
  let outcome: TransferOutcome;
  let commit: () => Promise<void> = async () => undefined;

  if (kind === 'report') {
    // Amazon Connect's scheduled report: delivered byte for byte.
    const result = await uploader.upload(name, async () => ({ body: await store.open(ref) }));
    if (!result.delivered) throw new Error('unreachable: report upload not delivered');
    outcome = { status: 'delivered', remotePath: result.remotePath };
  } else {
    let stats = newConversionStats();
    let invalid: InvalidCtr[] = [];
    let dedup: Deduplicator = new NoDeduplication();
    const result = await uploader.upload(name, async () => {
      // Everything an attempt learns is discarded if it fails.
      stats = newConversionStats();
      invalid = [];
      dedup = deps.deduplicator?.(ref.key) ?? new NoDeduplication();
      const bytes = decompressIfGzip(await store.open(ref), deps.limits?.gzip);
      let quarantinedBytes = 0;
      const onInvalid = (item: InvalidCtr): void => {
        // Every S3 key is known and checked here, before the file is published (the rename comes after the body).
        checkS3Key(quarantineKey(deps.quarantinePrefix, ref.key, item.offset));
        quarantinedBytes += item.text.length;
        // Held until the upload is done; an object that is mostly not CTRs is not a Firehose CTR object at all.
        if (quarantinedBytes > MAX_QUARANTINE_BYTES || invalid.length >= MAX_QUARANTINE_ITEMS)
          throw new CorruptObjectError(
            `more than ${MAX_QUARANTINE_ITEMS} invalid records or ${MAX_QUARANTINE_BYTES} bytes of them: ` +
              'not a Firehose CTR object; left for the dead-letter queue',
          );
        invalid.push(item);
      };
      const csv = convertCtrStream(
        bytes,
        { layout: deps.layout, deduplicator: dedup, onInvalid, resyncBudget: deps.limits?.resync },
        stats,
      );
      return { body: Readable.from(csv, { objectMode: false }), deliver: () => stats.rows > 0 };
    });
    for (const item of invalid) {
      const key = quarantineKey(deps.quarantinePrefix, ref.key, item.offset);
      await store.put({ bucket: ref.bucket, key }, item.text, {
        // Metadata travels as HTTP headers: ASCII only, so both values are URL-encoded.
        reason: encodeURIComponent(item.reason.slice(0, 200)),
        source: sourceMetadata(ref.key),
      });
      log.warn('record is not a valid CTR; quarantined', {
        quarantineKey: key,
        offset: item.offset,
        reason: item.reason,
        bytes: item.text.length,
      });
    }
    metrics.count(TransferMetric.CtrRecordsQuarantined, invalid.length);
    metrics.count(TransferMetric.CtrRecordsConverted, stats.rows);
    metrics.count(TransferMetric.CtrDuplicatesSkipped, dedup.skipped);
    metrics.count(TransferMetric.CtrInvalidUtf8Quarantined, stats.invalidUtf8);
    metrics.count(TransferMetric.CtrControlCharactersReplaced, stats.controlCharsReplaced);
    if (stats.controlCharsReplaced > 0)
      log.warn('control characters in exported values replaced by U+FFFD (text rule)', {
        replaced: stats.controlCharsReplaced,
      });
    const finalDedup = dedup;
    commit = () => finalDedup.commit();
    outcome = result.delivered
      ? {
          status: 'delivered',
          remotePath: result.remotePath,
          rows: stats.rows,
          duplicates: dedup.skipped,
          quarantined: invalid.length,
        }
      : { status: 'nothing-to-deliver', duplicates: dedup.skipped, quarantined: invalid.length };
  }

  await commit();
  const at = (deps.now?.() ?? new Date()).toISOString();
  const tagged = await store.markTransferred(ref, outcome.status === 'delivered' ? `${at} ${name}` : `${at} no-rows`);
  if (!tagged) log.warn('object has 10 tags already; transferred mark not set (DynamoDB de-duplication still applies)');
  if (outcome.status === 'delivered') metrics.count(TransferMetric.ObjectsTransferred);
  log.info('object transferred', { ...outcome });
  return outcome;
}

/** For callers that log a failure: one line, no stack, no secret. */
export const describeFailure = (ref: ObjectRef, error: unknown): Record<string, unknown> => ({
  bucket: ref.bucket,
  key: ref.key,
  error: errorMessage(error),
  errorType: error instanceof Error ? error.name : typeof error,
});

/** A key S3 would refuse fails the object before anything is published, not after (a retry would publish again). */
function checkS3Key(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > MAX_S3_KEY_BYTES)
    throw new CorruptObjectError(`quarantine key longer than ${MAX_S3_KEY_BYTES} bytes; check QUARANTINE_PREFIX`);
}

/** S3 allows 2 KB of user metadata in all: the source key URL-encoded, shortened with its hash past 1 KB. */
const sourceMetadata = (key: string): string => {
  const encoded = encodeURIComponent(key);
  return encoded.length <= 1024 ? encoded : fitWithHash(encoded, 1024, key);
};
