import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type CheckResult, fail, pass, skip } from '../CheckResult';
import { describeAwsError, remedyFor } from '../describeAwsError';

/** Every configured secret can be read and is a JSON object with the fields the product needs (values never shown). */
export async function checkSecrets(
  secrets: { variable: string; arn: string; requiredAnyOf?: string[][] }[],
  client: SecretsManagerClient | undefined,
): Promise<CheckResult[]> {
  if (secrets.length === 0 || !client)
    return [skip('secrets manager', 'no secret configured (SFTP_SECRET_ARN not set)')];
  const results: CheckResult[] = [];
  for (const s of secrets) {
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: s.arn }));
      let fields: string[];
      try {
        const parsed = JSON.parse(out.SecretString ?? '') as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        fields = Object.keys(parsed).filter((k) => (parsed as Record<string, unknown>)[k] !== '');
      } catch {
        results.push(
          fail(
            'secrets manager',
            `${s.variable} ${s.arn} is readable but not a JSON object`,
            'store the secret as JSON, e.g. {"username":"…","password":"…"}',
          ),
        );
        continue;
      }
      const missing = s.requiredAnyOf?.find((group) => !group.some((f) => fields.includes(f)));
      if (missing)
        results.push(
          fail(
            'secrets manager',
            `${s.variable} ${s.arn} has no ${missing.join(' or ')} field (fields: ${fields.join(', ') || 'none'})`,
            `add ${missing.join(' or ')} to the secret`,
          ),
        );
      else results.push(pass('secrets manager', `${s.variable} ${s.arn} readable, fields: ${fields.join(', ')}`));
    } catch (error) {
      const f = describeAwsError(error);
      results.push(
        fail(
          'secrets manager',
          `${s.variable} ${s.arn}: ${f.message}`,
          remedyFor(
            f,
            'secretsmanager:GetSecretValue (and kms:Decrypt on its key)',
            `check ${s.variable} (full ARN) and AWS_REGION`,
          ),
        ),
      );
    }
  }
  return results;
}
