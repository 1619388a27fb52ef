import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { ConnectConfig } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { ConnectWfmError, errorMessage, NonRetryableError, RetryableError } from '../../../../common/errors';
import type { SftpConfig } from '../../../../common/config/transferConfig';
import type { Logger } from '../../../../common/logging/logger';
import { SSH_ALGORITHM_VARIABLES } from '../../../../common/config/transferConfig';
import {
  SftpAlgorithmError,
  SftpAuthenticationError,
  SftpHostKeyMismatchError,
  SftpPrivateKeyError,
  toTransferError,
} from '../errors';
import { hostKeyFingerprint, sameFingerprint } from './hostKeyFingerprint';

export interface SftpCredentials {
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

/** SftpConfig's connection settings with resolved credentials; any host key but the pinned one is refused, no retry. */
export interface SftpUploaderOptions extends Pick<
  SftpConfig,
  | 'host'
  | 'port'
  | 'hostKeySha256'
  | 'remoteDir'
  | 'readyTimeoutMillis'
  | 'fileMode'
  | 'algorithms'
  | 'attempts'
  | 'retryBaseMillis'
  | 'retryMaxMillis'
> {
  credentials: SftpCredentials;
  logger: Logger;
  sleep?: (millis: number) => Promise<void>;
}

/** What to upload. `open` is called once per attempt, so a retry re-reads the source from the start. */
export interface UploadSource {
  body: Readable;
  /** Asked after the body is fully written; false: nothing worth delivering, the `.part` is removed, no file appears. */
  deliver?: () => boolean;
}

export type UploadResult =
  { delivered: true; remotePath: string; attempts: number } | { delivered: false; attempts: number };

/**
 * Delivers files so the reader never sees half of one: the body goes to `NAME.part`, then `posix-rename` replaces
 * `NAME` atomically (a plain SFTP rename refuses to overwrite). One connection is opened lazily and reused for every
 * file of the invocation; a transient failure drops it, waits (exponential back-off with jitter) and starts the file
 * again on a new connection.
 */
export class SftpUploader {
  private client: SftpClient | null = null;
  private presentedKey: string | null = null;
  private readonly sleep: (millis: number) => Promise<void>;

  constructor(private readonly options: SftpUploaderOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async upload(name: string, open: () => Promise<UploadSource>): Promise<UploadResult> {
    const remotePath = posix.join(this.options.remoteDir, name);
    const partPath = remotePath + '.part';
    for (let attempt = 1; ; attempt++) {
      let sourceError: unknown = null;
      let source: UploadSource | null = null;
      try {
        const client = await this.connection();
        source = await open();
        source.body.once('error', (e) => {
          sourceError = e;
        });
        // ssh2 opens with 0666 and then fchmods to `mode`: the server's umask does not protect the file.
        await client.put(source.body, partPath, { writeStreamOptions: { mode: this.options.fileMode } });
        if (source.deliver && !source.deliver()) {
          await client.delete(partPath, true);
          return { delivered: false, attempts: attempt };
        }
        await client.posixRename(partPath, remotePath);
        return { delivered: true, remotePath, attempts: attempt };
      } catch (e) {
        // Stop reading the source (and release its S3 connection) before anything else.
        source?.body.destroy();
        // The source's own error (S3 read, corrupt gzip) matters, not the SFTP library's re-wrapping of it.
        const error = sourceError !== null ? toTransferError(sourceError, 'read source') : this.classify(e);
        if (!error.retryable || attempt >= this.options.attempts) {
          // Giving up: do not leave a half-written .part behind if the connection still works.
          await this.client?.delete(partPath, true).catch(() => undefined);
          await this.drop();
          throw error;
        }
        await this.drop();
        const delay = this.backoff(attempt);
        this.options.logger.warn('sftp upload failed; retrying', {
          file: name,
          attempt,
          retryInMillis: delay,
          error: error.message,
        });
        await this.sleep(delay);
      }
    }
  }

  /** Ends the connection (once per invocation). */
  async close(): Promise<void> {
    await this.drop();
  }

  private async connection(): Promise<SftpClient> {
    if (this.client) return this.client;
    const { host, port, credentials, readyTimeoutMillis, hostKeySha256, algorithms } = this.options;
    // Events outside an operation (idle disconnect) retire the connection; the library would console.log them.
    const retire = (event: string) => (err?: unknown) => {
      if (this.client === client) this.client = null;
      this.options.logger.debug('sftp connection event', {
        event,
        error: err === undefined ? undefined : errorMessage(err),
      });
    };
    const client: SftpClient = new SftpClient('connect-wfm-transfer', {
      error: retire('error'),
      end: retire('end'),
      close: retire('close'),
    });
    this.presentedKey = null;
    await client.connect({
      host,
      port,
      username: credentials.username,
      password: credentials.password,
      privateKey: credentials.privateKey,
      passphrase: credentials.passphrase,
      readyTimeout: readyTimeoutMillis,
      keepaliveInterval: 5000,
      keepaliveCountMax: 3,
      // Explicit, not ssh2's defaults (which still include ssh-rsa, SHA-1 and CBC): see SftpConfig.algorithms.
      algorithms: algorithms as ConnectConfig['algorithms'],
      // The only trust decision: the key's SHA-256 must be the pinned one. ssh2 then proves the server holds it.
      hostVerifier: (key: Buffer) => {
        this.presentedKey = hostKeyFingerprint(key);
        return sameFingerprint(this.presentedKey, hostKeySha256);
      },
    });
    this.client = client;
    return client;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  private classify(e: unknown): ConnectWfmError {
    if (e instanceof ConnectWfmError) return e;
    const message = errorMessage(e);
    if (this.presentedKey && !sameFingerprint(this.presentedKey, this.options.hostKeySha256))
      return new SftpHostKeyMismatchError(
        `SFTP host key mismatch for ${this.options.host}:${this.options.port}: server presented ${this.presentedKey}, ` +
          `pinned ${this.options.hostKeySha256}; refusing to connect`,
        { cause: e },
      );
    // ssh2 parses the key before connecting; its message names the problem, never the key's bytes.
    if (
      /cannot parse privatekey|encrypted private openssh key detected|bad passphrase|integrity check failed/i.test(
        message,
      )
    )
      return new SftpPrivateKeyError(
        'SFTP private key unusable (malformed, or wrong passphrase): fix the secret\'s "privateKey"/"passphrase" ' +
          '(or SFTP_PRIVATE_KEY / SFTP_PASSPHRASE)',
      );
    const noMatch = /no matching (key exchange|host key|cipher|C->S cipher|S->C cipher|MAC|C->S MAC|S->C MAC)/i.exec(
      message,
    );
    if (noMatch || /unsupported algorithm/i.test(message))
      return new SftpAlgorithmError(
        `SFTP server ${this.options.host}:${this.options.port} and this client share no ${noMatch?.[1] ?? 'usable'} ` +
          `algorithm (${message}); allow an older one only if the server cannot be upgraded: ` +
          Object.values(SSH_ALGORITHM_VARIABLES).join(', '),
        { cause: e },
      );
    if (/authentication methods failed/i.test(message))
      return new SftpAuthenticationError(`SFTP login rejected for user ${this.options.credentials.username}`, {
        cause: e,
      });
    const code = (e as { code?: unknown }).code;
    if (code === 2 || code === 3 || /permission denied|no such file/i.test(message))
      return new NonRetryableError(`SFTP: ${message}`, { cause: e });
    return new RetryableError(`SFTP: ${message}`, { cause: e });
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.options.retryMaxMillis, this.options.retryBaseMillis * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}
