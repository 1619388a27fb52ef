import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { ConnectConfig } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import type { SftpConfig } from '../../../common/config/transferConfig';
import { errorMessage } from '../../../common/errors';
import { hostKeyFingerprint, sameFingerprint } from '../../../processors/transfer/src/sftp/hostKeyFingerprint';
import type { SftpCredentials } from '../../../processors/transfer/src/sftp/SftpUploader';
import { type CheckResult, fail, pass } from '../CheckResult';

/**
 * The SFTP target: the host key matches the pinned fingerprint (checked before any credential is sent), the login is
 * accepted, and a probe file can be written (as `.part`, then posix-renamed, exactly as the uploader does) and removed
 * in the target folder.
 */
export async function checkSftp(sftp: SftpConfig, credentials: () => Promise<SftpCredentials>): Promise<CheckResult> {
  const where = `${sftp.host}:${sftp.port}`;
  let creds: SftpCredentials;
  try {
    creds = await credentials();
  } catch (error) {
    return fail(
      'sftp',
      `cannot get the SFTP credentials: ${errorMessage(error)}`,
      'fix SFTP_SECRET_ARN (see the secrets manager line) or SFTP_USERNAME/SFTP_PASSWORD/SFTP_PRIVATE_KEY',
    );
  }
  let presented: string | null = null;
  let stage = 'connect';
  const client = new SftpClient('connect-wfm-doctor');
  try {
    await client.connect({
      host: sftp.host,
      port: sftp.port,
      username: creds.username,
      password: creds.password,
      privateKey: creds.privateKey,
      passphrase: creds.passphrase,
      readyTimeout: sftp.readyTimeoutMillis,
      // The transfer's own algorithm list: the doctor must not pass a server the transfer would refuse.
      algorithms: sftp.algorithms as ConnectConfig['algorithms'],
      hostVerifier: (key: Buffer) => {
        presented = hostKeyFingerprint(key);
        return sameFingerprint(presented, sftp.hostKeySha256);
      },
    });
    const dir = sftp.remoteDir;
    const name = `.connect-wfm-doctor-${randomBytes(6).toString('hex')}`;
    const target = posix.join(dir, name);
    stage = `write ${target}.part`;
    await client.put(Buffer.from('connect-wfm doctor probe; safe to delete\n'), `${target}.part`);
    stage = `posix-rename to ${target}`;
    await client.posixRename(`${target}.part`, target);
    stage = `remove ${target}`;
    await client.delete(target);
    return pass(
      'sftp',
      `${where} host key ${presented} matches the pin, login as ${creds.username} accepted, probe file written and removed in ${dir}`,
    );
  } catch (error) {
    const message = errorMessage(error);
    if (presented && !sameFingerprint(presented, sftp.hostKeySha256))
      return fail(
        'sftp',
        `${where} host key mismatch: the server presented ${presented}, the pin is ${sftp.hostKeySha256}; nothing was sent`,
        'confirm the new key with the SFTP server owner (ssh-keygen -lf on the server) and only then update SFTP_HOST_KEY_SHA256',
      );
    if (/authentication methods failed|All configured authentication/i.test(message))
      return fail(
        'sftp',
        `${where} host key OK, login as ${creds.username} rejected`,
        'check the username and password/private key (SFTP secret or SFTP_USERNAME/SFTP_PASSWORD/SFTP_PRIVATE_KEY)',
      );
    if (/no matching|unsupported algorithm/i.test(message))
      return fail(
        'sftp',
        `${where} shares no SSH algorithm with the transfer: ${message}`,
        'upgrade the server, or allow an older algorithm with SFTP_KEX_ALGORITHMS, SFTP_HOST_KEY_ALGORITHMS, SFTP_CIPHERS or SFTP_MACS (docs/historical-feed.md §5)',
      );
    if (stage === 'connect')
      return fail(
        'sftp',
        `${where} unreachable: ${message}`,
        'check SFTP_HOST/SFTP_PORT and that the firewall lets this function reach the server',
      );
    return fail(
      'sftp',
      `${where} logged in as ${creds.username}, but ${stage} failed: ${message}`,
      `check that SFTP_REMOTE_DIR (${sftp.remoteDir}) exists and the user may write, rename and delete there`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
