import { PutObjectCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type S3rver, type Sshd, startS3rver, startSshd } from '../../../local/emulators';
import { parseCsv } from '../../helpers/ctrCsv';
import { s3EventBody, sqsEvent } from '../../helpers/ctrS3Events';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildTransferLambda } = require('../../../processors/transfer/build.js') as {
  buildTransferLambda(outfile: string): Promise<number>;
};

/** The artifact Terraform deploys, not the sources: bundled by esbuild, run in a plain Node process. */
describe('the bundled transfer Lambda (dist-lambda/transfer/index.js)', () => {
  let s3: S3rver;
  let sshd: Sshd;
  let dir: string;
  beforeAll(async () => {
    [s3, sshd] = await Promise.all([startS3rver(), startSshd()]);
    await s3.createBucket('bundle');
    dir = mkdtempSync(join(tmpdir(), 'cwfm-bundle-'));
  });
  afterAll(async () => {
    await Promise.all([s3?.stop(), sshd?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is small, loads without node_modules, and delivers an object with key authentication', async () => {
    // Prepare
    const outfile = join(dir, 'transfer', 'index.js');
    const size = await buildTransferLambda(outfile);
    const key = 'connect/ctr/2026/01/05/wfm ctr:1';
    await s3.client.send(
      new PutObjectCommand({
        Bucket: 'bundle',
        Key: key,
        Body: readFileSync(
          join(__dirname, '..', '..', 'fixtures', 'events', 'ctr', 'derived-firehose-style-concatenated.txt'),
        ),
      }),
    );
    const script = `require(${JSON.stringify(outfile)}).handler(JSON.parse(process.argv[1]), { functionName: 'bundle', getRemainingTimeInMillis: () => 300000 })
      .then((r) => process.stderr.write('RESULT ' + JSON.stringify(r) + '\\n'), (e) => { process.stderr.write('ERROR ' + e.message + '\\n'); process.exitCode = 1; });`;

    // Act: a separate process whose working directory has no node_modules
    const { stderr, stdout } = await promisify(execFile)(
      process.execPath,
      ['-e', script, JSON.stringify(sqsEvent([s3EventBody('bundle', key)]))],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          NODE_PATH: '',
          SFTP_HOST: sshd.host,
          SFTP_PORT: String(sshd.port),
          SFTP_USERNAME: sshd.username,
          SFTP_PRIVATE_KEY: sshd.privateKey.replace(/\n/g, '\\n'),
          SFTP_HOST_KEY_SHA256: sshd.hostKeySha256,
          SFTP_REMOTE_DIR: sshd.uploadDir,
          AWS_ENDPOINT_URL_S3: s3.endpoint,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
        },
      },
    );

    // Assess
    expect(size).toBeLessThan(3 * 1024 * 1024);
    expect(stderr).toContain('RESULT {"batchItemFailures":[]}');
    expect(stdout).toContain('"ObjectsTransferred":1');
    const rows = parseCsv(readFileSync(join(sshd.uploadDir, 'wfm ctr_1.csv'), 'utf8'));
    expect(rows.slice(1).map((r) => r[6])).toEqual(['6fe40d2a-1a89-4d73-bfcf-5d9c33894f47']);
  });
});
