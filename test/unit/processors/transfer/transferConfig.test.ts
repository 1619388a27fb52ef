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
