import { readTransferConfig } from '../../../../../common/config/transferConfig';
import { credentialsOf } from '../../../../../processors/transfer/src/sftp/resolveSftpCredentials';
import { hostKeyFingerprint, sameFingerprint } from '../../../../../processors/transfer/src/sftp/hostKeyFingerprint';

const config = readTransferConfig({
  SFTP_HOST: 'h',
  SFTP_USERNAME: 'env-user',
  SFTP_HOST_KEY_SHA256: 'SHA256:' + 'A'.repeat(43),
  SFTP_SECRET_ARN: 'arn:secret',
}).sftp;

describe('SFTP credentials from the secret', () => {
  it('takes the secret fields, falling back to SFTP_USERNAME', () => {
    expect(credentialsOf({ password: 'p' }, config)).toEqual({ username: 'env-user', password: 'p' });
    expect(credentialsOf({ username: 'u', privateKey: 'a\\nb' }, config)).toMatchObject({
      username: 'u',
      privateKey: 'a\nb',
    });
  });

  it('names the missing field without echoing any value', () => {
    expect(() => credentialsOf({ username: 'u', pasword: 'typo-secret' }, config)).toThrow(
      /"password" or "privateKey"/,
    );
    try {
      credentialsOf({ username: 'u', pasword: 'typo-secret' }, config);
    } catch (e) {
      expect(String(e)).not.toContain('typo-secret');
    }
  });
});

describe('host key fingerprints', () => {
  it('matches ssh-keygen -lf output with or without prefix and padding', () => {
    const fp = hostKeyFingerprint(Buffer.from('key blob'));
    expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(sameFingerprint(fp, fp.replace('SHA256:', '') + '=')).toBe(true);
    expect(sameFingerprint(fp, hostKeyFingerprint(Buffer.from('other')))).toBe(false);
  });
});
