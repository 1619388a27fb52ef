import { DEFAULT_SSH_ALGORITHMS } from '../../../common/config/transferConfig';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { utils } from 'ssh2';
import { silentLogger } from '../../../common/logging/logger';
import { fingerprintOf, LocalSftpServer } from '../../../local/sftp/LocalSftpServer';
import { SftpAuthenticationError, SftpHostKeyMismatchError } from '../../../processors/transfer/src/errors';
import { SftpUploader, type SftpUploaderOptions } from '../../../processors/transfer/src/sftp/SftpUploader';

// The in-process SFTP server of `npm start` must behave like OpenSSH towards the product's real uploader.
describe('LocalSftpServer with the transfer uploader', () => {
  let root: string;
  let server: LocalSftpServer;
  const clientKey = utils.generateKeyPairSync('ed25519');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cwfm-sftp-'));
    mkdirSync(join(root, 'upload'));
    server = await LocalSftpServer.start({ root, username: 'wfm', password: 'pw', authorizedKey: clientKey.public });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const uploader = (o: Partial<SftpUploaderOptions> = {}) =>
    new SftpUploader({
      host: '127.0.0.1',
      port: server.port,
      credentials: { username: 'wfm', password: 'pw' },
      hostKeySha256: server.hostKeyFingerprint,
      remoteDir: '/upload',
      readyTimeoutMillis: 5000,
      fileMode: 0o640,
      algorithms: DEFAULT_SSH_ALGORITHMS,
      attempts: 1,
      retryBaseMillis: 1,
      retryMaxMillis: 1,
      logger: silentLogger,
      ...o,
    });

  it('accepts an upload as .part then posix-rename, replacing an existing file atomically', async () => {
    // Prepare
    const u = uploader();

    // Act
    const first = await u.upload('a.csv', async () => ({ body: Readable.from([Buffer.from('h\r\n1\r\n')]) }));
    const second = await u.upload('a.csv', async () => ({ body: Readable.from([Buffer.from('h\r\n2\r\n')]) }));
    await u.close();

    // Assess
    expect(first).toMatchObject({ delivered: true, remotePath: '/upload/a.csv' });
    expect(second.delivered).toBe(true);
    expect(readFileSync(join(root, 'upload', 'a.csv'), 'utf8')).toBe('h\r\n2\r\n');
    expect(existsSync(join(root, 'upload', 'a.csv.part'))).toBe(false);
    expect((await server.files('/upload')).map((f) => f.path)).toEqual(['/upload/a.csv']);
  });

  it('logs in with a public key as well', async () => {
    // Act
    const u = uploader({ credentials: { username: 'wfm', privateKey: clientKey.private } });
    const result = await u.upload('b.csv', async () => ({ body: Readable.from([Buffer.from('x')]) }));
    await u.close();

    // Assess
    expect(result.delivered).toBe(true);
  });

  it('is refused by a client pinning another host key, and refuses a wrong password', async () => {
    // Prepare
    const otherPin = fingerprintOf(utils.generateKeyPairSync('ed25519').public);

    // Act
    const mismatch = uploader({ hostKeySha256: otherPin }).upload('c.csv', async () => ({
      body: Readable.from(['x']),
    }));
    const badLogin = uploader({ credentials: { username: 'wfm', password: 'nope' } }).upload('d.csv', async () => ({
      body: Readable.from(['x']),
    }));

    // Assess
    await expect(mismatch).rejects.toBeInstanceOf(SftpHostKeyMismatchError);
    await expect(badLogin).rejects.toBeInstanceOf(SftpAuthenticationError);
    expect(existsSync(join(root, 'upload', 'c.csv'))).toBe(false);
  });

  it('keeps every path inside its root', () => {
    // Assess
    expect(server.resolve('/../../etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(server.resolve('upload/../../x')).toBe(join(root, 'x'));
  });
});
