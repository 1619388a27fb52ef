import { DEFAULT_SSH_ALGORITHMS } from '../../../common/config/transferConfig';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { silentLogger } from '../../../common/logging/logger';
import { CorruptObjectError } from '../../../processors/transfer/src/errors';
import {
  type SftpCredentials,
  SftpUploader,
  type SftpUploaderOptions,
} from '../../../processors/transfer/src/sftp/SftpUploader';
import { type Sshd, startSshd } from '../../../local/emulators';
import { startTcpCutter } from './tcpCutter';

describe('SftpUploader against OpenSSH sshd', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  const uploader = (o: Partial<SftpUploaderOptions> & { credentials?: SftpCredentials } = {}): SftpUploader =>
    new SftpUploader({
      host: sshd.host,
      port: sshd.port,
      credentials: { username: sshd.username, password: sshd.password },
      hostKeySha256: sshd.hostKeySha256,
      remoteDir: sshd.uploadDir,
      readyTimeoutMillis: 5000,
      fileMode: 0o640,
      algorithms: DEFAULT_SSH_ALGORITHMS,
      attempts: 3,
      retryBaseMillis: 20,
      retryMaxMillis: 50,
      logger: silentLogger,
      ...o,
    });
  const source =
    (data: Buffer | string, chunk = 65536) =>
    async () => {
      const bytes = Buffer.from(data);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
      return { body: Readable.from(chunks, { objectMode: false }) };
    };
  const files = (): string[] => readdirSync(sshd.uploadDir).sort();

  it('logs in with a password and writes non-ASCII bytes exactly, replacing an existing file atomically', async () => {
    // Prepare
    const text = 'Agent_Username\r\n"Åsa, Öberg"\r\n東京\r\n';
    writeFileSync(join(sshd.uploadDir, 'pw.csv'), 'old content');
    const u = uploader();

    // Act
    const result = await u.upload('pw.csv', source(text, 5));
    await u.close();

    // Assess
    expect(result).toEqual({ delivered: true, remotePath: join(sshd.uploadDir, 'pw.csv'), attempts: 1 });
    expect(readFileSync(join(sshd.uploadDir, 'pw.csv'))).toEqual(Buffer.from(text, 'utf8'));
    expect(files()).not.toContain('pw.csv.part');
  });

  it('logs in with a private key and reuses one connection for several files', async () => {
    const u = uploader({ credentials: { username: sshd.username, privateKey: sshd.privateKey } });
    const cutter = await startTcpCutter(sshd.port);
    const viaRelay = uploader({
      port: cutter.port,
      credentials: { username: sshd.username, privateKey: sshd.privateKey },
    });
    await u.upload('key.csv', source('a\r\n'));
    await viaRelay.upload('key-1.csv', source('1\r\n'));
    await viaRelay.upload('key-2.csv', source('2\r\n'));
    await Promise.all([u.close(), viaRelay.close()]);
    await cutter.close();
    expect(readFileSync(join(sshd.uploadDir, 'key.csv'), 'utf8')).toBe('a\r\n');
    expect(readFileSync(join(sshd.uploadDir, 'key-2.csv'), 'utf8')).toBe('2\r\n');
    expect(cutter.connections).toBe(1);
  });

  it('refuses a server whose host key is not the pinned one, without retrying', async () => {
    const sleeps: number[] = [];
    const wrong = 'SHA256:' + Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '');
    const u = uploader({ hostKeySha256: wrong, sleep: async (ms) => void sleeps.push(ms) });
    await expect(u.upload('mitm.csv', source('secret rows'))).rejects.toMatchObject({
      name: 'SftpHostKeyMismatchError',
      retryable: false,
      message: expect.stringContaining(sshd.hostKeySha256),
    });
    expect(sleeps).toEqual([]);
    expect(files()).not.toContain('mitm.csv');
    expect(files()).not.toContain('mitm.csv.part');
  });

  it('reports a rejected password as an authentication error, without retrying', async () => {
    const sleeps: number[] = [];
    const u = uploader({
      credentials: { username: sshd.username, password: 'wrong' },
      sleep: async (ms) => void sleeps.push(ms),
    });
    const failure = (await u.upload('x.csv', source('x')).catch((e: unknown) => e)) as Error;
    expect(failure).toMatchObject({ name: 'SftpAuthenticationError', retryable: false });
    expect(failure.message).not.toContain('wrong');
    expect(sleeps).toEqual([]);
  });

  it('survives a connection cut mid-transfer: no partial file is ever visible under the final name', async () => {
    // Prepare: 1.5 MiB through a relay that cuts the first connection after 512 KiB
    const cutter = await startTcpCutter(sshd.port);
    const payload = Buffer.alloc(1536 * 1024, 'x0123456789,"Å"\r\n');
    const finalPath = join(sshd.uploadDir, 'outage.csv');
    let finalExistedAtCut: boolean | null = null;
    cutter.cutOnce(512 * 1024, () => {
      finalExistedAtCut = existsSync(finalPath);
    });
    const u = uploader({ port: cutter.port });
    // Watch the final name throughout: it may only ever appear complete.
    const partialSizes: number[] = [];
    const watcher = setInterval(() => {
      const size = existsSync(finalPath) ? statSync(finalPath).size : null;
      if (size !== null && size !== payload.length) partialSizes.push(size);
    }, 2);

    // Act
    const result = await u.upload('outage.csv', source(payload));
    clearInterval(watcher);
    await u.close();
    await cutter.close();

    // Assess
    expect(finalExistedAtCut).toBe(false);
    expect(partialSizes).toEqual([]);
    expect(result).toMatchObject({ delivered: true, attempts: 2 });
    expect(cutter.connections).toBe(2);
    expect(readFileSync(finalPath).equals(payload)).toBe(true);
    expect(files()).not.toContain('outage.csv.part');
  });

  it('creates no file when the source says there is nothing to deliver', async () => {
    const u = uploader();
    const result = await u.upload('empty.csv', async () => ({
      body: Readable.from([Buffer.from('header\r\n')]),
      deliver: () => false,
    }));
    await u.close();
    expect(result).toEqual({ delivered: false, attempts: 1 });
    expect(files().filter((f) => f.startsWith('empty.csv'))).toEqual([]);
  });

  it("passes the source's own non-retryable error through and publishes nothing", async () => {
    const sleeps: number[] = [];
    const u = uploader({ sleep: async (ms) => void sleeps.push(ms) });
    const failing = async () => ({
      body: Readable.from(
        (async function* () {
          yield Buffer.from('header\r\n');
          throw new CorruptObjectError('corrupt gzip stream');
        })(),
      ),
    });
    await expect(u.upload('corrupt.csv', failing)).rejects.toBeInstanceOf(CorruptObjectError);
    await u.close();
    expect(sleeps).toEqual([]);
    expect(files().filter((f) => f.startsWith('corrupt.csv'))).toEqual([]);
  });
});
