import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readTransferConfig } from '../../../common/config/transferConfig';
import { silentLogger } from '../../../common/logging/logger';
import { remoteFileName } from '../../../processors/transfer/src/s3/remoteFileName';
import { SftpUploader, type SftpUploaderOptions } from '../../../processors/transfer/src/sftp/SftpUploader';
import { sftpEnv, type Sshd, startSshd } from '../../../local/emulators';

/** The uploader as the Lambda builds it: every setting from the environment (defaults unless `env` says otherwise). */
const uploaderFor = (
  sshd: Sshd,
  env: Record<string, string> = {},
  o: Partial<SftpUploaderOptions> = {},
): SftpUploader => {
  const { sftp } = readTransferConfig({
    ...sftpEnv(sshd),
    SFTP_ATTEMPTS: '3',
    SFTP_RETRY_BASE_MS: '10',
    SFTP_RETRY_MAX_MS: '20',
    SFTP_READY_TIMEOUT_MS: '5000',
    ...env,
  });
  return new SftpUploader({
    ...sftp,
    credentials: { username: sshd.username, password: sshd.password },
    logger: silentLogger,
    ...o,
  });
};
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

describe('SFTP uploads against a default OpenSSH sshd (umask 022)', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('creates the .part and the final file with mode 0640, not world-writable', async () => {
    // Prepare: a body that pauses after its first chunk until the .part has been inspected
    const part = join(sshd.uploadDir, 'modes.csv.part');
    let partMode: string | null = null;
    const body = Readable.from(
      (async function* () {
        yield Buffer.from('a,b\r\n');
        for (let i = 0; i < 500 && !existsSync(part); i++) await new Promise((r) => setTimeout(r, 10));
        partMode = mode(part);
        yield Buffer.from('c,d\r\n');
      })(),
      { objectMode: false },
    );
    const u = uploaderFor(sshd);

    // Act
    await u.upload('modes.csv', async () => ({ body }));
    await u.close();

    // Assess
    expect(partMode).toBe('0640');
    expect(mode(join(sshd.uploadDir, 'modes.csv'))).toBe('0640');
    expect(readFileSync(join(sshd.uploadDir, 'modes.csv'), 'utf8')).toBe('a,b\r\nc,d\r\n');
  });

  it('uses SFTP_FILE_MODE when set', async () => {
    const u = uploaderFor(sshd, { SFTP_FILE_MODE: '0600' });
    await u.upload('private.csv', async () => ({ body: Readable.from([Buffer.from('x\r\n')]) }));
    await u.close();
    expect(mode(join(sshd.uploadDir, 'private.csv'))).toBe('0600');
  });

  it('delivers an object whose basename is too long for the server under its shortened name', async () => {
    const name = remoteFileName(`2026/01/${'long-firehose-name-'.repeat(16)}.gz`, 'ctr');
    const u = uploaderFor(sshd, { SFTP_ATTEMPTS: '1' });
    const result = await u.upload(name, async () => ({ body: Readable.from([Buffer.from('x\r\n')]) }));
    await u.close();
    expect(result).toMatchObject({ delivered: true });
    expect(readFileSync(join(sshd.uploadDir, name), 'utf8')).toBe('x\r\n');
  });

  it('classes a malformed private key as a configuration error, without retrying or echoing it', async () => {
    const sleeps: number[] = [];
    const garbage =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nbm90LWEta2V5LXNlY3JldC1ieXRlcw==\n-----END OPENSSH PRIVATE KEY-----\n';
    const u = uploaderFor(
      sshd,
      {},
      {
        credentials: { username: sshd.username, privateKey: garbage },
        sleep: async (ms) => void sleeps.push(ms),
      },
    );
    const failure = (await u
      .upload('k.csv', async () => ({ body: Readable.from([]) }))
      .catch((e: unknown) => e)) as Error;
    expect(failure).toMatchObject({ name: 'SftpPrivateKeyError', retryable: false });
    expect(failure.message).not.toContain('bm90LWEta2V5');
    expect(sleeps).toEqual([]);
  });

  it('classes a wrong passphrase the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cwfm-key-'));
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'right-passphrase', '-f', join(dir, 'k')]);
      const sleeps: number[] = [];
      const u = uploaderFor(
        sshd,
        {},
        {
          credentials: {
            username: sshd.username,
            privateKey: readFileSync(join(dir, 'k'), 'utf8'),
            passphrase: 'wrong-passphrase',
          },
          sleep: async (ms) => void sleeps.push(ms),
        },
      );
      const failure = (await u
        .upload('p.csv', async () => ({ body: Readable.from([]) }))
        .catch((e: unknown) => e)) as Error;
      expect(failure).toMatchObject({ name: 'SftpPrivateKeyError', retryable: false });
      expect(failure.message).not.toContain('wrong-passphrase');
      expect(sleeps).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SSH algorithms against an old sshd (only ssh-rsa, hmac-sha1, aes128-ctr)', () => {
  let old: Sshd;
  beforeAll(async () => {
    old = await startSshd({
      hostKeyType: 'rsa',
      config: ['HostKeyAlgorithms ssh-rsa', 'MACs hmac-sha1', 'Ciphers aes128-ctr'],
    });
  });
  afterAll(async () => {
    await old?.stop();
  });

  it('refuses it with the default (modern) list, naming the settings that can allow it, without retrying', async () => {
    const sleeps: number[] = [];
    const u = uploaderFor(old, {}, { sleep: async (ms) => void sleeps.push(ms) });
    const failure = (await u
      .upload('old.csv', async () => ({ body: Readable.from([Buffer.from('x')]) }))
      .catch((e: unknown) => e)) as Error;
    expect(failure).toMatchObject({ name: 'SftpAlgorithmError', retryable: false });
    expect(failure.message).toMatch(/SFTP_HOST_KEY_ALGORITHMS|SFTP_MACS/);
    expect(sleeps).toEqual([]);
    expect(existsSync(join(old.uploadDir, 'old.csv'))).toBe(false);
  });

  it('connects when the operator explicitly allows the old algorithms', async () => {
    const u = uploaderFor(old, { SFTP_HOST_KEY_ALGORITHMS: 'ssh-rsa', SFTP_MACS: 'hmac-sha1' });
    const result = await u.upload('old.csv', async () => ({ body: Readable.from([Buffer.from('x\r\n')]) }));
    await u.close();
    expect(result).toMatchObject({ delivered: true });
    expect(readFileSync(join(old.uploadDir, 'old.csv'), 'utf8')).toBe('x\r\n');
  });
});
