import { readTransferConfig } from '../../../../common/config/transferConfig';

const FP = 'SHA256:' + 'A'.repeat(43);
const base = {
  SFTP_HOST: 'sftp.example.com',
  SFTP_HOST_KEY_SHA256: FP,
  SFTP_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:s',
};

describe('readTransferConfig', () => {
  it('applies defaults', () => {
    expect(readTransferConfig(base)).toMatchObject({
      sftp: { host: 'sftp.example.com', port: 22, remoteDir: '.', attempts: 4, hostKeySha256: FP },
      csvLayout: 'standard',
      quarantinePrefix: 'quarantine/',
      dedupTtlSeconds: 45 * 86400,
      drain: { waitTimeSeconds: 20 },
      endpoints: {},
    });
  });

  it('hardening settings: file mode, SSH algorithm lists, gzip and resync limits, with safe defaults', () => {
    const c = readTransferConfig(base);
    expect(c.sftp.fileMode).toBe(0o640);
    expect(c.sftp.algorithms.serverHostKey).not.toContain('ssh-rsa');
    expect(c.sftp.algorithms.hmac.some((m) => m.includes('sha1'))).toBe(false);
    expect(c.sftp.algorithms.cipher.some((m) => m.includes('cbc'))).toBe(false);
    expect(c.limits).toEqual({
      gzip: { maxBytes: 1 << 30, maxRatio: 100 },
      resync: { workPerInputByte: 2, baseBytes: 1 << 20, maxMillis: 2000 },
    });
    const custom = readTransferConfig({
      ...base,
      SFTP_FILE_MODE: '600',
      SFTP_HOST_KEY_ALGORITHMS: 'ssh-ed25519, ssh-rsa',
      GZIP_MAX_MB: '64',
      GZIP_MAX_RATIO: '50',
      CTR_RESYNC_MAX_MS: '500',
    });
    expect(custom.sftp.fileMode).toBe(0o600);
    expect(custom.sftp.algorithms.serverHostKey).toEqual(['ssh-ed25519', 'ssh-rsa']);
    expect(custom.limits.gzip).toEqual({ maxBytes: 64 << 20, maxRatio: 50 });
    expect(custom.limits.resync.maxMillis).toBe(500);
    expect(() => readTransferConfig({ ...base, SFTP_FILE_MODE: '0666' })).toThrow(
      /SFTP_FILE_MODE: must not make files world-writable/,
    );
    expect(() => readTransferConfig({ ...base, SFTP_FILE_MODE: 'rw-r-----' })).toThrow(
      /SFTP_FILE_MODE: must be an octal/,
    );
    expect(() => readTransferConfig({ ...base, SFTP_MACS: 'hmac-sha1;rm -rf' })).toThrow(/SFTP_MACS: must be a comma/);
  });

  it('requires a pinned host key in ssh-keygen form', () => {
    expect(() => readTransferConfig({ ...base, SFTP_HOST_KEY_SHA256: '' })).toThrow(
      /SFTP_HOST_KEY_SHA256: is required/,
    );
    expect(() => readTransferConfig({ ...base, SFTP_HOST_KEY_SHA256: 'MD5:aa:bb' })).toThrow(/SFTP_HOST_KEY_SHA256/);
  });

  it('requires credentials from a secret or, locally, the environment', () => {
    const { SFTP_SECRET_ARN: _unused, ...noSecret } = base;
    expect(() => readTransferConfig(noSecret)).toThrow(/SFTP_SECRET_ARN.*SFTP_USERNAME/);
    const local = readTransferConfig({
      ...noSecret,
      SFTP_USERNAME: 'u',
      SFTP_PRIVATE_KEY: '-----BEGIN-----\\nabc\\n-----END-----',
    });
    expect(local.sftp.privateKey).toBe('-----BEGIN-----\nabc\n-----END-----');
  });

  it('rejects an unknown layout and reads endpoint overrides', () => {
    expect(() => readTransferConfig({ ...base, CSV_LAYOUT: 'wide' })).toThrow(/CSV_LAYOUT/);
    expect(
      readTransferConfig({ ...base, CSV_LAYOUT: 'EXTENDED', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' }),
    ).toMatchObject({
      csvLayout: 'extended',
      endpoints: { s3: 'http://127.0.0.1:1' },
    });
  });
});
