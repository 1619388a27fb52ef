import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readTransferConfig } from '../../../common/config/transferConfig';
import { createLogger, silentLogger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { createAwsClients } from '../../../processors/transfer/src/awsClients';
import { DynamoDbDeduplicator } from '../../../processors/transfer/src/dedup/DynamoDbDeduplicator';
import { TransferRuntime } from '../../../processors/transfer/src/TransferRuntime';
import {
  type DynamoDbLocal,
  type S3rver,
  sftpEnv,
  type Sshd,
  startDynamoDbLocal,
  startS3rver,
  startSshd,
} from '../../../local/emulators';
import { concatenated, ctrFactory } from '../../helpers/ctrFactory';
import { parseCsv } from '../../helpers/ctrCsv';
import { ctrRecord } from '../../helpers/ctrRecords';
import { s3EventBody, s3TestEventBody, sqsEvent } from '../../helpers/ctrS3Events';

const BUCKET = 'connect-wfm-test';
const TABLE = 'ctr-dedup';
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'events');

describe('transfer Lambda, SQS event-source mode (s3rver + sshd + DynamoDB Local)', () => {
  let s3: S3rver;
  let sshd: Sshd;
  let ddb: DynamoDbLocal;
  let metrics: MetricsRegistry;
  let runtime: TransferRuntime;

  beforeAll(async () => {
    [s3, sshd, ddb] = await Promise.all([startS3rver(), startSshd(), startDynamoDbLocal()]);
    await s3.createBucket(BUCKET);
    await ddb.client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'contactId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'contactId', KeyType: 'HASH' }],
      }),
    );
  });
  afterAll(async () => {
    await Promise.all([s3?.stop(), sshd?.stop(), ddb?.stop()]);
  });
  beforeEach(() => {
    for (const f of readdirSync(sshd.uploadDir)) rmSync(join(sshd.uploadDir, f));
    metrics = new MetricsRegistry();
    const config = readTransferConfig({
      ...sftpEnv(sshd),
      SFTP_RETRY_BASE_MS: '10',
      SFTP_RETRY_MAX_MS: '20',
      DEDUP_TABLE: TABLE,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
    });
    const clients = createAwsClients(config.endpoints, {
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    runtime = new TransferRuntime(config, clients, silentLogger, metrics);
  });

  const put = async (key: string, body: Buffer | string): Promise<void> => {
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(body) }));
  };
  const remote = (name: string): string => readFileSync(join(sshd.uploadDir, name), 'utf8');
  const remoteFiles = (): string[] => readdirSync(sshd.uploadDir).sort();
  const tags = async (key: string) =>
    (await s3.client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }))).TagSet ?? [];

  it('converts a Firehose object, passes a report through unchanged, ignores s3:TestEvent, and tags what it sent', async () => {
    // Prepare
    const ctrKey = '2026/01/05/10/wfm-ctr-1-2026-01-05-10-00-00-aaaa';
    const reportKey = 'connect/inst/Reports/TeleoptiAgentPerformance 2026-01-05T10:15:00Z.csv';
    const report =
      'StartInterval,EndInterval,Agent,Online time\r\n2026-01-05T09:30:00.000Z,2026-01-05T10:00:00.000Z,"Öberg, Åsa",1800\r\n';
    await put(ctrKey, readFileSync(join(FIXTURES, 'ctr', 'derived-firehose-style-concatenated.txt')));
    await put(reportKey, report);

    // Act
    const response = await runtime.processBatch(
      sqsEvent([s3TestEventBody(BUCKET), s3EventBody(BUCKET, ctrKey), s3EventBody(BUCKET, reportKey)]),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(remoteFiles()).toEqual([
      'TeleoptiAgentPerformance 2026-01-05T10_15_00Z.csv',
      'wfm-ctr-1-2026-01-05-10-00-00-aaaa.csv',
    ]);
    expect(remote('TeleoptiAgentPerformance 2026-01-05T10_15_00Z.csv')).toBe(report);
    // the three deliveries of one contact differ only in an attribute: one row
    const rows = parseCsv(remote('wfm-ctr-1-2026-01-05-10-00-00-aaaa.csv'));
    expect(rows).toHaveLength(2);
    expect(rows[1]![6]).toBe('6fe40d2a-1a89-4d73-bfcf-5d9c33894f47');
    expect((await tags(ctrKey)).map((t) => t.Key)).toEqual(['connect-wfm-transferred']);
    expect(metrics.total('ObjectsTransferred')).toBe(2);
    expect(metrics.total('CtrDuplicatesSkipped')).toBe(2);
  });

  it('uploads nothing for a duplicate S3 event of an object already transferred', async () => {
    const key = 'dup/object-1';
    await put(key, JSON.stringify(ctrFactory({ contactId: 'dup-1' })));
    await runtime.processBatch(sqsEvent([s3EventBody(BUCKET, key)]));
    rmSync(join(sshd.uploadDir, 'object-1.csv'));

    const response = await runtime.processBatch(sqsEvent([s3EventBody(BUCKET, key)]));

    expect(response.batchItemFailures).toEqual([]);
    expect(remoteFiles()).toEqual([]);
    expect(metrics.total('DuplicateObjectsSkipped')).toBe(1);
  });

  it('leaves out a re-delivered contact whose exported fields are unchanged and sends it again when they changed', async () => {
    // Prepare: the same contact in three objects, days apart
    const first = ctrFactory({
      contactId: 'redeliver-1',
      lastUpdateTimestamp: '2026-01-05T10:00:00Z',
      queueDuration: 30,
    });
    const attributeOnly = { ...first, LastUpdateTimestamp: '2026-01-07T08:00:00Z', Attributes: { Survey: 'done' } };
    const changed = {
      ...ctrFactory({ contactId: 'redeliver-1', queueDuration: 31 }),
      LastUpdateTimestamp: '2026-01-08T08:00:00Z',
    };
    await put('rd/a', JSON.stringify(first));
    await put('rd/b', JSON.stringify(attributeOnly));
    await put('rd/c', JSON.stringify(changed));

    // Act
    const response = await runtime.processBatch(
      sqsEvent([s3EventBody(BUCKET, 'rd/a'), s3EventBody(BUCKET, 'rd/b'), s3EventBody(BUCKET, 'rd/c')]),
    );

    // Assess: a and c delivered, b had nothing new (no file at all)
    expect(response.batchItemFailures).toEqual([]);
    expect(remoteFiles()).toEqual(['a.csv', 'c.csv']);
    expect(parseCsv(remote('c.csv'))[1]![10]).toBe('31');
    const item = await ddb.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { contactId: { S: 'redeliver-1' } } }),
    );
    expect(item.Item?.lastUpdateTimestamp?.S).toBe('2026-01-08T08:00:00Z');
    expect(item.Item?.sourceKey?.S).toBe('rd/c');
    expect(Number(item.Item?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000 + 44 * 86400);
    expect((await tags('rd/b'))[0]?.Value).toMatch(/ no-rows$/);
  });

  it('leaves out a late re-delivery older than the version already exported, and never overwrites the newer item', async () => {
    // Prepare: another invocation already exported the 2026-01-08 version
    await ddb.client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          contactId: { S: 'late-1' },
          lastUpdateTimestamp: { S: '2026-01-08T00:00:00Z' },
          lastUpdateMillis: { N: String(Date.parse('2026-01-08T00:00:00Z')) },
          fingerprint: { S: 'other' },
          sourceKey: { S: 'elsewhere' },
        },
      }),
    );
    const older = ctrFactory({ contactId: 'late-1', lastUpdateTimestamp: '2026-01-06T00:00:00Z', queueDuration: 7 });
    await put('late/object', concatenated([older, ctrFactory({ contactId: 'late-2' })]));

    // Act
    await runtime.processBatch(sqsEvent([s3EventBody(BUCKET, 'late/object')]));

    // Assess
    expect(
      parseCsv(remote('object.csv'))
        .slice(1)
        .map((r) => r[6]),
    ).toEqual(['late-2']);
    const item = await ddb.client.send(new GetItemCommand({ TableName: TABLE, Key: { contactId: { S: 'late-1' } } }));
    expect(item.Item?.sourceKey?.S).toBe('elsewhere');
  });

  it('keeps the newer version when a concurrent invocation stored it between lookup and commit', async () => {
    // Prepare: this invocation looks up (nothing stored) ...
    const dedup = new DynamoDbDeduplicator({
      client: ddb.client,
      tableName: TABLE,
      layout: 'standard',
      ttlSeconds: 60,
      sourceKey: 'slow',
    });
    const selected = await dedup.select([
      ctrRecord({ contactId: 'race-1', lastUpdateTimestamp: '2026-01-05T00:00:00Z' }),
    ]);
    // ... then another one stores a newer version
    await ddb.client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          contactId: { S: 'race-1' },
          lastUpdateTimestamp: { S: '2026-01-09T00:00:00Z' },
          lastUpdateMillis: { N: String(Date.parse('2026-01-09T00:00:00Z')) },
          fingerprint: { S: 'newer' },
          sourceKey: { S: 'fast' },
        },
      }),
    );

    // Act
    await dedup.commit();

    // Assess
    expect(selected).toHaveLength(1);
    const item = await ddb.client.send(new GetItemCommand({ TableName: TABLE, Key: { contactId: { S: 'race-1' } } }));
    expect(item.Item?.sourceKey?.S).toBe('fast');
  });

  it('rebuilds the whole file when an object is retried after its contacts were remembered but before it was tagged', async () => {
    // Prepare: a delivery that "crashed" after the DynamoDB commit: no tag, file gone from the server
    await put(
      'crash/object',
      concatenated([ctrFactory({ contactId: 'crash-1' }), ctrFactory({ contactId: 'crash-2' })]),
    );
    await runtime.processBatch(sqsEvent([s3EventBody(BUCKET, 'crash/object')]));
    rmSync(join(sshd.uploadDir, 'object.csv'));
    await s3.client.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'crash/object', Tagging: { TagSet: [] } }));

    // Act
    await runtime.processBatch(sqsEvent([s3EventBody(BUCKET, 'crash/object')]));

    // Assess
    expect(
      parseCsv(remote('object.csv'))
        .slice(1)
        .map((r) => r[6]),
    ).toEqual(['crash-1', 'crash-2']);
  });

  it('quarantines a record that is not a CTR, delivers the rest, and reads gzip by magic bytes', async () => {
    const bad = '{"ContactId": "broken", "Agent": {"Username": "x"';
    const body =
      concatenated([ctrFactory({ contactId: 'q-1' })]) + bad + concatenated([ctrFactory({ contactId: 'q-2' })]);
    await put('qz/object', gzipSync(body));

    const response = await runtime.processBatch(sqsEvent([s3EventBody(BUCKET, 'qz/object')]));

    expect(response.batchItemFailures).toEqual([]);
    expect(
      parseCsv(remote('object.csv'))
        .slice(1)
        .map((r) => r[6]),
    ).toEqual(['q-1', 'q-2']);
    const offset = String(Buffer.byteLength(concatenated([ctrFactory({ contactId: 'q-1' })]))).padStart(12, '0');
    const quarantined = await s3.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: `quarantine/qz/object/${offset}.txt` }),
    );
    expect(await quarantined.Body!.transformToString()).toBe(bad);
    expect(quarantined.Metadata).toMatchObject({ source: 'qz%2Fobject', reason: expect.stringContaining('expected') });
    expect(metrics.total('CtrRecordsQuarantined')).toBe(1);
  });

  it('never writes a credential to a log line, on success or on a rejected login', async () => {
    // Prepare: capture every log line at debug level
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (l) => lines.push(l) });
    const build = (password: string): TransferRuntime => {
      const config = readTransferConfig({
        SFTP_HOST: sshd.host,
        SFTP_PORT: String(sshd.port),
        SFTP_USERNAME: sshd.username,
        SFTP_PASSWORD: password,
        SFTP_HOST_KEY_SHA256: sshd.hostKeySha256,
        SFTP_REMOTE_DIR: sshd.uploadDir,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
      });
      const clients = createAwsClients(config.endpoints, {
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      return new TransferRuntime(config, clients, logger, new MetricsRegistry());
    };
    await put('logs/object', JSON.stringify(ctrFactory({ contactId: 'log-1' })));

    // Act
    const rejected = await build('Wrong-Secret-123').processBatch(sqsEvent([s3EventBody(BUCKET, 'logs/object')]));
    const accepted = await build(sshd.password).processBatch(sqsEvent([s3EventBody(BUCKET, 'logs/object')]));

    // Assess
    expect(rejected.batchItemFailures).toHaveLength(1);
    expect(accepted.batchItemFailures).toEqual([]);
    expect(lines.some((l) => l.includes('SftpAuthenticationError'))).toBe(true);
    expect(lines.join('\n')).not.toContain('Wrong-Secret-123');
    expect(lines.join('\n')).not.toContain(sshd.password);
  });

  it('reports only the failed message when an object cannot be delivered', async () => {
    await put('ok/one', JSON.stringify(ctrFactory({ contactId: 'ok-1' })));

    const response = await runtime.processBatch(
      sqsEvent([s3EventBody(BUCKET, 'missing/object'), s3EventBody(BUCKET, 'ok/one'), 'not json']),
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-2' }]);
    expect(remoteFiles()).toEqual(['one.csv']);
    expect(existsSync(join(sshd.uploadDir, 'object.csv'))).toBe(false);
    expect(metrics.total('TransferFailures')).toBe(2);
  });
});
