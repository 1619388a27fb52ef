import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';
import { ServiceProcess, tcpReady } from './serviceProcess';

/** The local account the SFTP tests log in as (created once, idempotently). */
export const SFTP_TEST_USER = 'cwfm-sftp';
export const SFTP_TEST_PASSWORD = 'Cwfm-Test-Pa55word';
const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  host: string;
  port: number;
  username: string;
  password: string;
  /** OpenSSH PEM of a key authorised for the user. */
  privateKey: string;
  /** `SHA256:…` of the server's host key, as `ssh-keygen -lf` prints it. */
  hostKeySha256: string;
  /** An empty directory owned by the user, fresh per server (absolute; the same path locally and over SFTP). */
  uploadDir: string;
  stop(): Promise<void>;
  server: ServiceProcess;
}

/**
 * A real OpenSSH sshd on 127.0.0.1 and a free port, SFTP only (docs/reference/local-emulators.md#sshd). Needs root
 * (useradd, chpasswd, privilege separation) and /usr/sbin/sshd; fails loudly otherwise rather than skipping.
 */
export interface SshdOptions {
  /** The host key's type (default ed25519); `rsa` for servers that offer only `ssh-rsa`. */
  hostKeyType?: 'ed25519' | 'rsa';
  /** Extra sshd_config lines (e.g. `MACs hmac-sha1` to act as an old server). */
  config?: string[];
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    throw new Error(
      'the sshd test harness needs root (it creates a local user and runs sshd); run the tests as root, as CI does',
    );
  if (!existsSync(SSHD))
    throw new Error(`${SSHD} is missing: apt-get install -y openssh-server (npm test's pretest installs it as root)`);
  ensureUser();
  const dir = mkdtempSync(join(tmpdir(), 'cwfm-sshd-'));
  chmodSync(dir, 0o755);
  const keygen = (file: string, type = 'ed25519'): void => {
    execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file], { stdio: 'ignore' });
  };
  const hostKey = join(dir, `host_${options.hostKeyType ?? 'ed25519'}`);
  keygen(hostKey, options.hostKeyType);
  keygen(join(dir, 'client_ed25519'));
  mkdirSync(join(dir, 'authorized_keys'));
  writeFileSync(join(dir, 'authorized_keys', SFTP_TEST_USER), readFileSync(join(dir, 'client_ed25519.pub')));
  const uploadDir = `/home/${SFTP_TEST_USER}/upload-${randomBytes(6).toString('hex')}`;
  mkdirSync(uploadDir, { recursive: true });
  execFileSync('chown', [`${SFTP_TEST_USER}:${SFTP_TEST_USER}`, uploadDir]);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}/%u`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin no',
      `AllowUsers ${SFTP_TEST_USER}`,
      'Subsystem sftp internal-sftp',
      'ForceCommand internal-sftp',
      'AllowTcpForwarding no',
      'X11Forwarding no',
      'MaxStartups 50',
      'LogLevel VERBOSE',
      ...(options.config ?? []),
      '',
    ].join('\n'),
  );
  execFileSync(SSHD, ['-t', '-f', config]);
  const server = await ServiceProcess.start({
    name: 'sshd',
    command: SSHD, // sshd re-executes itself: it must be started by absolute path
    args: ['-D', '-e', '-f', config],
    ready: tcpReady(port),
  });
  const blob = Buffer.from(readFileSync(`${hostKey}.pub`, 'utf8').split(' ')[1]!, 'base64');
  return {
    host: '127.0.0.1',
    port,
    username: SFTP_TEST_USER,
    password: SFTP_TEST_PASSWORD,
    privateKey: readFileSync(join(dir, 'client_ed25519'), 'utf8'),
    hostKeySha256: 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, ''),
    uploadDir,
    server,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}

/** The transfer's environment for this server (password login, the pinned host key, the upload directory). */
export const sftpEnv = (sshd: Sshd): Record<string, string> => ({
  SFTP_HOST: sshd.host,
  SFTP_PORT: String(sshd.port),
  SFTP_USERNAME: sshd.username,
  SFTP_PASSWORD: sshd.password,
  SFTP_HOST_KEY_SHA256: sshd.hostKeySha256,
  SFTP_REMOTE_DIR: sshd.uploadDir,
});

/** Creates the user and sets its password, serialised across jest workers (chpasswd locks /etc/shadow). */
function ensureUser(): void {
  const script = [
    `id -u ${SFTP_TEST_USER} >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin ${SFTP_TEST_USER}`,
    `echo '${SFTP_TEST_USER}:${SFTP_TEST_PASSWORD}' | chpasswd`,
    `chmod 755 /home/${SFTP_TEST_USER}`,
  ].join(' && ');
  execFileSync('flock', ['/tmp/cwfm-sftp-user.lock', 'sh', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
}
