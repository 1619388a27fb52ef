import { type Env, EnvReader } from './env';

export const TRANSFER_CSV_LAYOUTS = ['standard', 'extended'] as const;

/** Where the historical-feed transfer (Lambda, or `npm start` locally) reads, remembers and delivers. */
export interface TransferConfig {
  sftp: SftpConfig;
  /** DynamoDB table of exported contacts; absent: no cross-object de-duplication (local use only). */
  dedupTable: string | undefined;
  dedupTtlSeconds: number;
  /** The queue the scheduled drain mode long-polls; absent for the SQS event-source mode. */
  queueUrl: string | undefined;
  csvLayout: (typeof TRANSFER_CSV_LAYOUTS)[number];
  /** Prefix (in the source bucket) under which records that are not valid CTRs are written. */
  quarantinePrefix: string;
  /** What one object may cost before it is failed or its broken text quarantined whole (hostile input). */
  limits: TransferLimits;
  drain: { waitTimeSeconds: number; visibilityTimeoutSeconds: number; stopBeforeTimeoutMillis: number };
  /** Endpoint overrides (emulators); each one switches that client to HTTP/1.1 (and path-style for S3). */
  endpoints: { s3?: string; sqs?: string; dynamodb?: string; secretsManager?: string };
}

export interface TransferLimits {
  /** Decompressed bytes and expansion ratio of a gzip object: past either, CorruptObjectError. */
  gzip: { maxBytes: number; maxRatio: number };
  /** Finding the next record after broken JSON: bytes read per input byte (plus 1 MiB) and milliseconds, per object. */
  resync: { workPerInputByte: number; baseBytes: number; maxMillis: number };
}

export interface SftpConfig {
  host: string;
  port: number;
  /** May come from the secret instead. */
  username: string | undefined;
  /** Local use only; in AWS the credentials come from Secrets Manager (`secretArn`). */
  password: string | undefined;
  privateKey: string | undefined;
  passphrase: string | undefined;
  /** Secrets Manager secret holding JSON {username?, password?, privateKey?, passphrase?}. */
  secretArn: string | undefined;
  /** Pinned host key: base64 SHA-256 of the key blob, as `ssh-keygen -lf` prints it (with or without `SHA256:`). */
  hostKeySha256: string;
  remoteDir: string;
  readyTimeoutMillis: number;
  /** Permissions of the `.part` and final files (the server's umask still applies on top). */
  fileMode: number;
  /** What the SSH handshake may negotiate, in order of preference: modern only unless overridden for an old server. */
  algorithms: SshAlgorithms;
  /** Tries per file, including the first. */
  attempts: number;
  retryBaseMillis: number;
  retryMaxMillis: number;
}

export interface SshAlgorithms {
  kex: string[];
  serverHostKey: string[];
  cipher: string[];
  hmac: string[];
}

/**
 * The default SSH algorithms (docs/historical-feed.md): no SHA-1, no CBC, no `ssh-rsa` signatures, no DSA; what
 * OpenSSH ≥ 7.4 and every maintained SFTP service offer. Each list is replaced whole by its variable.
 */
export const DEFAULT_SSH_ALGORITHMS: SshAlgorithms = {
  kex: [
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384',
    'ecdh-sha2-nistp521',
    'diffie-hellman-group-exchange-sha256',
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group18-sha512',
    'diffie-hellman-group14-sha256',
  ],
  serverHostKey: [
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
    'rsa-sha2-512',
    'rsa-sha2-256',
  ],
  cipher: [
    'chacha20-poly1305@openssh.com',
    'aes256-gcm@openssh.com',
    'aes128-gcm@openssh.com',
    'aes256-ctr',
    'aes192-ctr',
    'aes128-ctr',
  ],
  hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512'],
};

/** The variable that overrides each list. */
export const SSH_ALGORITHM_VARIABLES: Record<keyof SshAlgorithms, string> = {
  kex: 'SFTP_KEX_ALGORITHMS',
  serverHostKey: 'SFTP_HOST_KEY_ALGORITHMS',
  cipher: 'SFTP_CIPHERS',
  hmac: 'SFTP_MACS',
};

const FINGERPRINT = /^(SHA256:)?[A-Za-z0-9+/]{43}=?$/;
const ALGORITHM_LIST = /^[a-z0-9@.+-]+(\s*,\s*[a-z0-9@.+-]+)*$/;

export function readTransferConfig(env: Env): TransferConfig {
  const vars = new EnvReader(env);
  const retryBaseMillis = vars.int('SFTP_RETRY_BASE_MS', 500, 1, 60000);
  const sftp: SftpConfig = {
    host: vars.string('SFTP_HOST') ?? '',
    port: vars.int('SFTP_PORT', 22, 1, 65535),
    username: vars.string('SFTP_USERNAME'),
    password: vars.string('SFTP_PASSWORD'),
    // Environment variables cannot hold newlines everywhere: accept a PEM with literal \n.
    privateKey: vars.string('SFTP_PRIVATE_KEY')?.replace(/\\n/g, '\n'),
    passphrase: vars.string('SFTP_PASSPHRASE'),
    secretArn: vars.string('SFTP_SECRET_ARN'),
    hostKeySha256: vars.string('SFTP_HOST_KEY_SHA256') ?? '',
    remoteDir: (vars.string('SFTP_REMOTE_DIR') ?? '.').replace(/\/+$/, '') || '/',
    readyTimeoutMillis: vars.int('SFTP_READY_TIMEOUT_MS', 10000, 100, 120000),
    fileMode: fileMode(vars),
    algorithms: sshAlgorithms(vars),
    attempts: vars.int('SFTP_ATTEMPTS', 4, 1, 20),
    retryBaseMillis,
    retryMaxMillis: Math.max(vars.int('SFTP_RETRY_MAX_MS', 8000, 1, 300000), retryBaseMillis),
  };
  const config: TransferConfig = {
    sftp,
    dedupTable: vars.string('DEDUP_TABLE'),
    dedupTtlSeconds: vars.int('DEDUP_TTL_DAYS', 45, 1, 3650) * 86400,
    queueUrl: vars.string('QUEUE_URL'),
    csvLayout: vars.oneOf('CSV_LAYOUT', TRANSFER_CSV_LAYOUTS, 'standard'),
    quarantinePrefix: (vars.string('QUARANTINE_PREFIX', 256) ?? 'quarantine').replace(/\/+$/, '') + '/',
    limits: {
      gzip: {
        maxBytes: vars.int('GZIP_MAX_MB', 1024, 1, 65536) * 1024 * 1024,
        maxRatio: vars.int('GZIP_MAX_RATIO', 100, 2, 100000),
      },
      resync: {
        workPerInputByte: vars.int('CTR_RESYNC_WORK_PER_BYTE', 2, 1, 1000),
        baseBytes: 1024 * 1024,
        maxMillis: vars.int('CTR_RESYNC_MAX_MS', 2000, 10, 600000),
      },
    },
    drain: {
      waitTimeSeconds: vars.int('DRAIN_WAIT_TIME_SECONDS', 20, 0, 20),
      visibilityTimeoutSeconds: vars.int('DRAIN_VISIBILITY_TIMEOUT_SECONDS', 0, 0, 43200),
      stopBeforeTimeoutMillis: vars.int('DRAIN_STOP_BEFORE_TIMEOUT_MS', 60000, 0, 900000),
    },
    endpoints: {
      s3: vars.string('AWS_ENDPOINT_URL_S3'),
      sqs: vars.string('AWS_ENDPOINT_URL_SQS'),
      dynamodb: vars.string('AWS_ENDPOINT_URL_DYNAMODB'),
      secretsManager: vars.string('AWS_ENDPOINT_URL_SECRETS_MANAGER'),
    },
  };
  if (!sftp.host) vars.problem('SFTP_HOST', 'is required');
  if (!sftp.hostKeySha256) vars.problem('SFTP_HOST_KEY_SHA256', 'is required (the host key is always pinned)');
  else if (!FINGERPRINT.test(sftp.hostKeySha256))
    vars.problem('SFTP_HOST_KEY_SHA256', 'must be a SHA-256 fingerprint as printed by ssh-keygen -lf (SHA256:…)');
  if (!sftp.secretArn && !sftp.password && !sftp.privateKey)
    vars.problem('SFTP_SECRET_ARN', 'is required unless SFTP_PASSWORD or SFTP_PRIVATE_KEY is set (local use)');
  if (!sftp.secretArn && !sftp.username) vars.problem('SFTP_USERNAME', 'is required unless the secret holds it');
  vars.done();
  return config;
}

/** SFTP_FILE_MODE: octal, as chmod takes it (`0640`, `640`); owner read-write at least, never world-writable. */
function fileMode(vars: EnvReader): number {
  const value = vars.matches('SFTP_FILE_MODE', /^0?[0-7]{3}$/, 'must be an octal file mode such as 0640');
  if (value === undefined || !/^0?[0-7]{3}$/.test(value)) return 0o640;
  const mode = parseInt(value, 8);
  if ((mode & 0o600) !== 0o600) vars.problem('SFTP_FILE_MODE', 'must give the owner read and write (0600 at least)');
  if (mode & 0o002) vars.problem('SFTP_FILE_MODE', 'must not make files world-writable');
  return mode;
}

function sshAlgorithms(vars: EnvReader): SshAlgorithms {
  const list = (key: keyof SshAlgorithms): string[] => {
    const value = vars.matches(
      SSH_ALGORITHM_VARIABLES[key],
      ALGORITHM_LIST,
      'must be a comma-separated list of SSH algorithm names',
    );
    return value === undefined ? [...DEFAULT_SSH_ALGORITHMS[key]] : value.split(',').map((a) => a.trim());
  };
  return { kex: list('kex'), serverHostKey: list('serverHostKey'), cipher: list('cipher'), hmac: list('hmac') };
}
