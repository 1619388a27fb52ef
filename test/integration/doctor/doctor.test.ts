import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { type CheckResult, formatResult } from '../../../doctor/src/CheckResult';
import { exitCodeOf, runDoctor } from '../../../doctor/src/runDoctor';
import { FakeConnectApi } from '../../../local/connectApi/FakeConnectApi';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { TEST_INSTANCE_ID, populateInstance } from '../../helpers/connectInstance';
import { fingerprintOf, LocalSftpServer } from '../../../local/sftp/LocalSftpServer';
import {
  type DynamoDbLocal,
  freePort,
  type Fauxqs,
  type KinesisMock,
  startDynamoDbLocal,
  startFauxqs,
  startKinesisMock,
} from '../../../local/emulators';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';

const KEY = 'doctor-test-key';
let kinesis: KinesisMock;
let ddb: DynamoDbLocal;
let receiver: RtaReceiver;
let sftp: LocalSftpServer;
let root: string;
let env: Record<string, string>;
let fauxqs: Fauxqs;
let sqsEndpoint: string;
let queueWithDlq: string;
let queueWithoutDlq: string;
const savedEnv = { ...process.env };

const byCheck = (results: CheckResult[], check: string) => results.filter((r) => r.check === check);
const only = (results: CheckResult[], check: string): CheckResult => {
  const found = byCheck(results, check);
  expect(found).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  // The SDK's default credential chain reads the process environment; the emulators accept any key.
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';
  [kinesis, ddb] = await Promise.all([startKinesisMock(), startDynamoDbLocal()]);
  await kinesis.client.send(new CreateStreamCommand({ StreamName: 'agent-events', ShardCount: 2 }));
  for (let i = 0; i < 100; i++) {
    const d = await kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: 'agent-events' }));
    if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  // The lease table as infra/terraform creates it (with KCL 3's lease-owner index), and one whose index is keyed wrong.
  for (const [name, indexHash] of [
    ['connect-wfm-leases', 'leaseOwner'],
    ['wrong-index-leases', 'leaseKey'],
  ] as const) {
    await ddb.client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'leaseKey', AttributeType: 'S' },
          { AttributeName: 'leaseOwner', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'LeaseOwnerToLeaseKeyIndex',
            KeySchema: [
              { AttributeName: indexHash, KeyType: 'HASH' },
              { AttributeName: indexHash === 'leaseKey' ? 'leaseOwner' : 'leaseKey', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
  }
  fauxqs = await startFauxqs();
  sqsEndpoint = fauxqs.endpoint;
  const sqs = fauxqs.client;
  const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'transfer-dlq' }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] })))
    .Attributes!.QueueArn!;
  queueWithDlq = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'transfer',
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '5' }) },
      }),
    )
  ).QueueUrl!;
  queueWithoutDlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'transfer-no-dlq' }))).QueueUrl!;
  receiver = await RtaReceiver.start({ authKey: KEY, sourceIds: ['AmazonConnect'] });
  root = mkdtempSync(join(tmpdir(), 'cwfm-doctor-'));
  sftp = await LocalSftpServer.start({ root, username: 'wfm', password: 'right-password' });
  mkdirSync(join(root, 'upload'));
  env = {
    KINESIS_STREAM_NAME: 'agent-events',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
    CHECKPOINT_TABLE: 'connect-wfm-leases',
    AGENT_STATE_TABLE: 'connect-wfm-leases',
    AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
    WFM_RTA_URL: receiver.url,
    WFM_AUTH_KEY: KEY,
    WFM_SOURCE_ID: 'AmazonConnect',
    SFTP_HOST: '127.0.0.1',
    SFTP_PORT: String(sftp.port),
    SFTP_USERNAME: 'wfm',
    SFTP_PASSWORD: 'right-password',
    SFTP_HOST_KEY_SHA256: sftp.hostKeyFingerprint,
    SFTP_REMOTE_DIR: '/upload',
    QUEUE_URL: queueWithDlq,
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
  };
}, 90000);

afterAll(async () => {
  await Promise.all([kinesis?.stop(), ddb?.stop(), receiver?.stop(), sftp?.stop(), fauxqs?.stop()]);
  rmSync(root, { recursive: true, force: true });
  process.env = savedEnv;
});

describe('connect-wfm doctor', () => {
  it('passes every check against a working local stack, changing nothing', async () => {
    // Act
    const results = await runDoctor(env);

    // Assess
    const lines = results.map((r) => formatResult(r));
    expect(lines.every((l) => /^(PASS|SKIP) {2}/.test(l))).toBe(true);
    expect(only(results, 'configuration').status).toBe('PASS');
    expect(only(results, 'kinesis stream').detail).toMatch(
      /agent-events .* ACTIVE, 2 open shard\(s\), not encrypted .*suggested consumer tasks: 1/,
    );
    expect(only(results, 'kinesis read').status).toBe('PASS');
    expect(byCheck(results, 'dynamodb table').map((r) => r.status)).toEqual(['PASS', 'PASS']);
    expect(byCheck(results, 'dynamodb table')[0]!.detail).toMatch(
      /connect-wfm-leases is ACTIVE \(hash key leaseKey\), index LeaseOwnerToLeaseKeyIndex$/,
    );
    expect(only(results, 'wfm rta endpoint').detail).toMatch(/reachable, plain HTTP on loopback, key accepted/);
    expect(only(results, 'sftp').detail).toContain(`host key ${sftp.hostKeyFingerprint} matches the pin`);
    expect(only(results, 'sqs queue').detail).toMatch(
      /reachable, 0 waiting, 0 in flight, dead-letter queue arn:aws:sqs:.*transfer-dlq/,
    );
    expect(only(results, 'secrets manager')).toMatchObject({
      status: 'SKIP',
      detail: expect.stringContaining('SFTP_SECRET_ARN'),
    });
    expect(exitCodeOf(results)).toBe(0);
    expect(exitCodeOf(results, true)).toBe(1);
    // The RTA probe was one empty, non-snapshot batch; the SFTP probe file is gone.
    expect(receiver.batches.slice(-1)[0]).toMatchObject({ isSnapshot: false, states: [] });
    expect(receiver.currentStates().size).toBe(0);
    expect(readdirSync(join(root, 'upload'))).toEqual([]);
    expect(sftp.uploads.some((p) => p.includes('.connect-wfm-doctor-'))).toBe(true);
  });

  it('fails precisely on a wrong WFM key, naming Teleopti’s message and the variable to fix', async () => {
    // Act
    const results = await runDoctor({ ...env, WFM_AUTH_KEY: 'wrong-key' });

    // Assess
    const rta = only(results, 'wfm rta endpoint');
    expect(rta.status).toBe('FAIL');
    expect(rta.detail).toContain('HTTP 400 "You supplied an invalid authentication key');
    expect(rta.remedy).toContain('WFM_AUTH_KEY');
    expect(results.filter((r) => r.status === 'FAIL')).toHaveLength(1);
    expect(exitCodeOf(results)).toBe(1);
  });

  it('fails precisely on an unreachable WFM', async () => {
    // Prepare
    const closed = await freePort();

    // Act
    const results = await runDoctor({ ...env, WFM_RTA_URL: `http://127.0.0.1:${closed}` });

    // Assess
    const rta = only(results, 'wfm rta endpoint');
    expect(rta).toMatchObject({ status: 'FAIL', detail: expect.stringMatching(/unreachable: .*ECONNREFUSED/) });
    expect(rta.remedy).toContain('WFM_RTA_URL');
  });

  it('fails precisely on a wrong SFTP host key, before sending any credential', async () => {
    // Prepare
    const other = utils.generateKeyPairSync('ed25519');
    const otherFingerprint = fingerprintOf(other.public);
    const uploadsBefore = sftp.uploads.length;

    // Act
    const results = await runDoctor({ ...env, SFTP_HOST_KEY_SHA256: otherFingerprint });

    // Assess
    const check = only(results, 'sftp');
    expect(check.status).toBe('FAIL');
    expect(check.detail).toBe(
      `127.0.0.1:${sftp.port} host key mismatch: the server presented ${sftp.hostKeyFingerprint}, the pin is ${otherFingerprint}; nothing was sent`,
    );
    expect(check.remedy).toContain('SFTP_HOST_KEY_SHA256');
    expect(sftp.uploads.length).toBe(uploadsBefore);
  });

  it('fails precisely on a rejected SFTP login', async () => {
    // Act
    const results = await runDoctor({ ...env, SFTP_PASSWORD: 'wrong-password' });

    // Assess
    expect(only(results, 'sftp')).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('host key OK, login as wfm rejected'),
    });
  });

  it('fails precisely on a missing stream and a missing table', async () => {
    // Act
    const results = await runDoctor({
      ...env,
      KINESIS_STREAM_NAME: 'no-such-stream',
      AGENT_STATE_TABLE: 'no-such-table',
    });

    // Assess
    const stream = only(results, 'kinesis stream');
    expect(stream).toMatchObject({
      status: 'FAIL',
      detail: expect.stringMatching(/^stream no-such-stream not found in us-east-1/),
    });
    expect(stream.remedy).toContain('KINESIS_STREAM_ARN');
    const tables = byCheck(results, 'dynamodb table');
    expect(tables.map((t) => t.status)).toEqual(['PASS', 'FAIL']);
    expect(tables[1]!.detail).toContain('no-such-table');
  });

  it('fails on a lease table whose KCL 3 lease-owner index has another hash key', async () => {
    // Act
    const results = await runDoctor({ ...env, CHECKPOINT_TABLE: 'wrong-index-leases' });

    // Assess
    expect(byCheck(results, 'dynamodb table')[0]).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining(
        'wrong-index-leases: index LeaseOwnerToLeaseKeyIndex has hash key leaseKey, expected leaseOwner',
      ),
    });
  });

  it('fails on a transfer queue without a dead-letter queue, and on a missing one', async () => {
    // Act
    const noDlq = await runDoctor({ ...env, QUEUE_URL: queueWithoutDlq });
    const missing = await runDoctor({ ...env, QUEUE_URL: queueWithoutDlq.replace('transfer-no-dlq', 'no-such-queue') });

    // Assess
    expect(only(noDlq, 'sqs queue')).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('has no dead-letter queue'),
    });
    expect(only(missing, 'sqs queue')).toMatchObject({ status: 'FAIL', remedy: expect.stringContaining('QUEUE_URL') });
  });

  it('checks the Amazon Connect instance with one read-only call; a wrong instance fails naming the variable', async () => {
    // Prepare
    const connect = await FakeConnectApi.start({ instanceId: TEST_INSTANCE_ID });
    try {
      populateInstance(connect, 3, 1);
      const withConnect = { ...env, AWS_ENDPOINT_URL_CONNECT: connect.url };
      // Act
      const ok = await runDoctor({ ...withConnect, CONNECT_INSTANCE_ID: TEST_INSTANCE_ID });
      const wrong = await runDoctor({ ...withConnect, CONNECT_INSTANCE_ID: 'another-instance' });
      const unset = await runDoctor(env);
      // Assess
      expect(only(ok, 'amazon connect')).toMatchObject({
        status: 'PASS',
        detail: expect.stringContaining(`instance ${TEST_INSTANCE_ID} readable`),
      });
      expect(only(wrong, 'amazon connect')).toMatchObject({
        status: 'FAIL',
        detail: expect.stringContaining('ResourceNotFoundException'),
        remedy: expect.stringContaining('CONNECT_INSTANCE_ID'),
      });
      expect(only(unset, 'amazon connect').status).toBe('SKIP');
      expect(connect.calls).toEqual({ ListRoutingProfiles: 2, GetCurrentUserData: 0, ListUsers: 0 });
    } finally {
      await connect.stop();
    }
  });

  it('reports configuration errors by variable and skips what is not configured', async () => {
    // Act
    const results = await runDoctor({ WFM_RTA_URL: 'http://wfm.example.com', KINESIS_STREAM_NAME: '' });

    // Assess
    const config = only(results, 'configuration');
    expect(config.status).toBe('FAIL');
    expect(config.detail).toContain('WFM_RTA_URL');
    expect(only(results, 'kinesis stream').status).toBe('SKIP');
    expect(only(results, 'sftp')).toMatchObject({
      status: 'SKIP',
      detail: expect.stringContaining('SFTP_HOST not set'),
    });
  });

  it('fails precisely on a WFM certificate that is not trusted (verification stays on)', async () => {
    // Prepare: an HTTPS endpoint with a self-signed certificate that would otherwise accept anything
    const dir = mkdtempSync(join(tmpdir(), 'cwfm-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const https = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => res.writeHead(200).end(),
    );
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    const port = (https.address() as AddressInfo).port;

    try {
      // Act
      const results = await runDoctor({ ...env, WFM_RTA_URL: `https://127.0.0.1:${port}` });

      // Assess
      const rta = only(results, 'wfm rta endpoint');
      expect(rta).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('TLS certificate not valid') });
      expect(rta.detail).toMatch(/self.signed/i);
      expect(rta.remedy).toContain('NODE_EXTRA_CA_CERTS');
    } finally {
      https.closeAllConnections();
      await new Promise((r) => https.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on an unreachable Secrets Manager instead of hanging', async () => {
    // Prepare
    const closed = await freePort();

    // Act
    const results = await runDoctor(
      {
        ...env,
        SFTP_PASSWORD: '',
        SFTP_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:sftp-AbCdEf',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${closed}`,
      },
      { timeoutMillis: 15000 },
    );

    // Assess
    expect(only(results, 'secrets manager')).toMatchObject({ status: 'FAIL' });
    expect(only(results, 'sftp')).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('cannot get the SFTP credentials'),
    });
  });
});
