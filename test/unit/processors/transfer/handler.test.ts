import type { Context } from 'aws-lambda';
import { s3TestEventBody, sqsEvent } from '../../../helpers/ctrS3Events';

describe('transfer handler (composition root)', () => {
  const saved = { ...process.env };
  const context = { functionName: 'connect-wfm-transfer', getRemainingTimeInMillis: () => 300000 } as Context;
  let handler: typeof import('../../../../processors/transfer/src/handler').handler;

  beforeAll(async () => {
    Object.assign(process.env, {
      SFTP_HOST: '127.0.0.1',
      SFTP_PORT: '9',
      SFTP_USERNAME: 'u',
      SFTP_PASSWORD: 'never-logged',
      SFTP_HOST_KEY_SHA256: 'SHA256:' + 'A'.repeat(43),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      LOG_LEVEL: 'error',
    });
    delete process.env.QUEUE_URL;
    ({ handler } = await import('../../../../processors/transfer/src/handler'));
  });
  afterAll(() => {
    process.env = saved;
  });

  it('answers an SQS batch of s3:TestEvent with no failures and without touching S3 or SFTP', async () => {
    const out: string[] = [];
    const spy = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((c: string | Uint8Array) => out.push(String(c)) > 0);
    const response = await handler(sqsEvent([s3TestEventBody('b')]), context);
    spy.mockRestore();
    expect(response).toEqual({ batchItemFailures: [] });
    expect(out.join('')).not.toContain('never-logged');
  });

  it('treats any other event as a scheduled drain, which needs QUEUE_URL', async () => {
    await expect(handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, context)).rejects.toThrow(
      /QUEUE_URL/,
    );
  });
});
