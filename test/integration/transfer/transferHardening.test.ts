import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readTransferConfig } from '../../../common/config/transferConfig';
import { createLogger, silentLogger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { createAwsClients } from '../../../processors/transfer/src/awsClients';
import { TransferRuntime } from '../../../processors/transfer/src/TransferRuntime';
import { type S3rver, sftpEnv, type Sshd, startS3rver, startSshd } from '../../../local/emulators';
import { concatenated, ctrFactory } from '../../helpers/ctrFactory';
import { parseCsv } from '../../helpers/ctrCsv';
import { type SecretsManagerFake, startSecretsManagerFake } from '../../helpers/secretsManagerFake';

const BUCKET = 'hardening';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:sftp-AbCdEf';

describe('transfer hardening (s3rver + sshd)', () => {
  let s3: S3rver;
  let sshd: Sshd;
  let secrets: SecretsManagerFake;

  beforeAll(async () => {
    [s3, sshd, secrets] = await Promise.all([startS3rver(), startSshd(), startSecretsManagerFake()]);
    await s3.createBucket(BUCKET);
  });
  afterAll(async () => {
    await Promise.all([s3?.stop(), sshd?.stop(), secrets?.stop()]);
  });
  beforeEach(() => {
    for (const f of readdirSync(sshd.uploadDir)) rmSync(join(sshd.uploadDir, f));
  });

  const runtime = (env: Record<string, string> = {}, lines: string[] = []): TransferRuntime => {
    const config = readTransferConfig({
      ...sftpEnv(sshd),
      SFTP_ATTEMPTS: '2',
      SFTP_RETRY_BASE_MS: '10',
      SFTP_RETRY_MAX_MS: '20',
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      ...env,
    });
    const clients = createAwsClients(config.endpoints, {
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const logger = lines.length === 0 && !env.CAPTURE ? silentLogger : createLogger({ sink: (l) => lines.push(l) });
    return new TransferRuntime(config, clients, logger, new MetricsRegistry());
  };
  const put = (key: string, body: string) =>
    s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(body) }));
  const keysUnder = async (prefix: string): Promise<string[]> =>
    ((await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map(
      (o) => o.Key!,
    );

  it('drops the cached secret after an unusable private key, so the corrected secret is used without a restart', async () => {
    // Prepare: the secret first holds a broken key
    await put('2026/01/key-rotation', concatenated([ctrFactory({ contactId: 'c-rotation' })]));
    secrets.secrets.set(SECRET, JSON.stringify({ username: sshd.username, privateKey: 'not a key at all' }));
    const rt = runtime({ SFTP_SECRET_ARN: SECRET, SFTP_PASSWORD: '' });

    // Act
    const first = await rt.transferOne({ bucket: BUCKET, key: '2026/01/key-rotation' }).catch((e: unknown) => e);
    secrets.secrets.set(SECRET, JSON.stringify({ username: sshd.username, privateKey: sshd.privateKey }));
    const second = await rt.transferOne({ bucket: BUCKET, key: '2026/01/key-rotation' });

    // Assess
    expect(first).toMatchObject({ name: 'SftpPrivateKeyError', retryable: false });
    expect(second).toMatchObject({ status: 'delivered' });
    expect(secrets.reads).toBe(2);
    expect(parseCsv(readFileSync(join(sshd.uploadDir, 'key-rotation.csv'), 'utf8'))[1]![6]).toBe('c-rotation');
  });

  it('keeps every quarantine key within 1024 bytes for a source key near the limit, before publishing', async () => {
    // Prepare: a 1,000-byte key (legal in S3); a bad record between two good ones
    const key = `firehose/${Array.from({ length: 5 }, (_, i) => `${i}-${'d'.repeat(190)}`).join('/')}/obj-${'k'.repeat(20)}`;
    expect(Buffer.byteLength(key)).toBeGreaterThan(990);
    const body =
      concatenated([ctrFactory({ contactId: 'c-1' })]) +
      '{"ContactId": nope}' +
      concatenated([ctrFactory({ contactId: 'c-2' })]);
    await put(key, body);

    // Act
    const outcome = await runtime().transferOne({ bucket: BUCKET, key });

    // Assess
    expect(outcome).toMatchObject({ status: 'delivered', rows: 2, quarantined: 1 });
    const quarantined = await keysUnder('quarantine/');
    expect(quarantined).toHaveLength(1);
    expect(Buffer.byteLength(quarantined[0]!)).toBeLessThanOrEqual(1024);
    const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: quarantined[0]! }));
    expect(await object.Body!.transformToString()).toBe('{"ContactId": nope}');
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: quarantined[0]! }));
    expect(decodeURIComponent(head.Metadata!.source!)).toBe(key);
  });

  it('delivers `ctr/.gz` under a visible, deterministic name and logs the original key', async () => {
    await put('ctr/.gz', concatenated([ctrFactory({ contactId: 'c-dot' })]));
    const lines: string[] = [];
    const outcome = await runtime({ CAPTURE: '1' }, lines).transferOne({ bucket: BUCKET, key: 'ctr/.gz' });
    expect(outcome).toMatchObject({
      status: 'delivered',
      remotePath: expect.stringMatching(/\/object-[0-9a-f]{16}\.csv$/),
    });
    expect(readdirSync(sshd.uploadDir).filter((f) => f.startsWith('.'))).toEqual([]);
    const renamed = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => /remote file name/.test(String(l.msg)));
    expect(renamed).toMatchObject({ key: 'ctr/.gz', remoteName: expect.stringMatching(/^object-/) });
  });
});
