import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SftpConfig } from '../../../../common/config/transferConfig';
import { ConfigError } from '../../../../common/errors';
import { toTransferError } from '../errors';
import type { SftpCredentials } from './SftpUploader';

/**
 * The SFTP login. In AWS: a Secrets Manager secret (JSON `{"username", "password"}` or `{"username", "privateKey",
 * "passphrase"}`; the environment's SFTP_USERNAME is the fallback username). Locally: the environment. The values
 * never reach a log line: errors name the secret and the missing field only.
 */
export async function resolveSftpCredentials(
  config: SftpConfig,
  secrets: SecretsManagerClient | undefined,
): Promise<SftpCredentials> {
  if (!config.secretArn) return credentialsOf({}, config);
  if (!secrets) throw new ConfigError('SFTP_SECRET_ARN is set but no Secrets Manager client was given');
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: config.secretArn })).catch((e: unknown) => {
    throw toTransferError(e, `GetSecretValue ${config.secretArn}`);
  });
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(out.SecretString ?? '') as Record<string, unknown>;
  } catch {
    throw new ConfigError(`secret ${config.secretArn} is not a JSON object`);
  }
  return credentialsOf(parsed, config);
}

export function credentialsOf(secret: Record<string, unknown>, config: SftpConfig): SftpCredentials {
  const s = (k: string): string | undefined =>
    typeof secret[k] === 'string' && secret[k] !== '' ? (secret[k] as string) : undefined;
  const username = s('username') ?? config.username;
  const password = s('password') ?? config.password;
  const privateKey = (s('privateKey') ?? config.privateKey)?.replace(/\\n/g, '\n');
  const passphrase = s('passphrase') ?? config.passphrase;
  if (!username) throw new ConfigError('SFTP username missing (secret field "username" or SFTP_USERNAME)');
  if (!password && !privateKey)
    throw new ConfigError(
      'SFTP credentials missing (secret field "password" or "privateKey", or SFTP_PASSWORD / SFTP_PRIVATE_KEY)',
    );
  return { username, password, privateKey, passphrase };
}
