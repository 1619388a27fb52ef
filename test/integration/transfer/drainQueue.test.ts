import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTransferConfig } from '../../../common/config/transferConfig';
import { silentLogger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { createAwsClients } from '../../../processors/transfer/src/awsClients';
import { TransferRuntime } from '../../../processors/transfer/src/TransferRuntime';
import {
  type Fauxqs,
  freePort,
  type S3rver,
  type Sshd,
  startFauxqs,
  startS3rver,
  startSshd,
} from '../../../local/emulators';
import { concatenated, ctrFactory } from '../../helpers/ctrFactory';
import { parseCsv } from '../../helpers/ctrCsv';
import { s3EventBody } from '../../helpers/ctrS3Events';

const BUCKET = 'drain-test';

describe('transfer Lambda, scheduled drain mode (fauxqs + s3rver + sshd)', () => {
  let sqs: Fauxqs;
  let s3: S3rver;
  let sshd: Sshd;
  let deadPort: number;

  beforeAll(async () => {
    [sqs, s3, sshd] = await Promise.all([startFauxqs(), startS3rver(), startSshd()]);
    await s3.createBucket(BUCKET);
    deadPort = await freePort();
  });
  afterAll(async () => {
    await Promise.all([sqs?.stop(), s3?.stop(), sshd?.stop()]);
  });

  /** A queue with a dead-letter queue after `maxReceiveCount` receives. */
  const queuePair = async (name: string, visibilitySeconds: number, maxReceiveCount: number) => {
    const dlq = await sqs.client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    const dlqArn = (
      await sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    const main = await sqs.client.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(visibilitySeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
        },
      }),
    );
    return { url: main.QueueUrl!, dlqUrl: dlq.QueueUrl! };
  };
  const runtime = (queueUrl: string, sftpPort: number, metrics = new MetricsRegistry()): TransferRuntime => {
    const config = readTransferConfig({
      SFTP_HOST: sshd.host,
      SFTP_PORT: String(sftpPort),
      SFTP_USERNAME: sshd.username,
      SFTP_PASSWORD: sshd.password,
      SFTP_HOST_KEY_SHA256: sshd.hostKeySha256,
      SFTP_REMOTE_DIR: sshd.uploadDir,
      SFTP_ATTEMPTS: '1',
      SFTP_READY_TIMEOUT_MS: '1000',
      QUEUE_URL: queueUrl,
      DRAIN_WAIT_TIME_SECONDS: '1',
      DRAIN_STOP_BEFORE_TIMEOUT_MS: '1000',
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    });
    const clients = createAwsClients(config.endpoints, {
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    return new TransferRuntime(config, clients, silentLogger, metrics);
  };
  const counts = async (url: string) => {
    const a = (
      await sqs.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes!;
    return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
  };
  const plenty = () => 60000;

  it('keeps a message whose upload failed and deletes it only after a later upload succeeds', async () => {
    // Prepare
    const q = await queuePair('keep', 2, 5);
    await s3.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'keep/obj',
        // Firehose delivered the record twice: without a DEDUP_TABLE, duplicates inside one object still go
        Body: concatenated([ctrFactory({ contactId: 'k-1' }), ctrFactory({ contactId: 'k-1' })], '\n'),
      }),
    );
    await sqs.client.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: s3EventBody(BUCKET, 'keep/obj') }));

    // Act 1: SFTP server unreachable
    const failed = await runtime(q.url, deadPort).drain(plenty);

    // Assess 1: nothing deleted, nothing written
    expect(failed).toMatchObject({ received: 1, deleted: 0, failed: 1, stoppedBy: 'empty' });
    expect(await counts(q.url)).toBe(1);
    expect(readdirSync(sshd.uploadDir)).not.toContain('obj.csv');

    // Act 2: server back, after the visibility timeout
    await new Promise((r) => setTimeout(r, 2100));
    const ok = await runtime(q.url, sshd.port).drain(plenty);

    // Assess 2
    expect(ok).toMatchObject({ received: 1, deleted: 1, failed: 0 });
    const rows = parseCsv(readFileSync(join(sshd.uploadDir, 'obj.csv'), 'utf8'));
    expect(rows.slice(1).map((r) => r[6])).toEqual(['k-1']);
    expect(await counts(q.url)).toBe(0);
  });

  it('moves a message that keeps failing to the dead-letter queue through the redrive policy', async () => {
    // Prepare
    const q = await queuePair('poison', 1, 2);
    await s3.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'poison/obj', Body: JSON.stringify(ctrFactory()) }),
    );
    const body = s3EventBody(BUCKET, 'poison/obj');
    await sqs.client.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: body }));
    const metrics = new MetricsRegistry();

    // Act: scheduled runs against an unreachable server until the queue is empty
    for (let run = 0; run < 6 && (await counts(q.url)) > 0; run++) {
      await runtime(q.url, deadPort, metrics).drain(plenty);
      await new Promise((r) => setTimeout(r, 1100));
    }

    // Assess
    expect(await counts(q.url)).toBe(0);
    const dead = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: q.dlqUrl, WaitTimeSeconds: 1 }));
    expect(dead.Messages?.map((m) => m.Body)).toEqual([body]);
    expect(metrics.total('TransferFailures')).toBe(2);
    expect(readdirSync(sshd.uploadDir)).not.toContain('obj.csv.part');
  });

  it('takes no message when the remaining time is already short', async () => {
    const q = await queuePair('late', 30, 5);
    await sqs.client.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: s3EventBody(BUCKET, 'late/obj') }));

    const result = await runtime(q.url, sshd.port).drain(() => 900);

    expect(result).toEqual({ received: 0, deleted: 0, failed: 0, stoppedBy: 'time' });
    expect(await counts(q.url)).toBe(1);
  });
});
