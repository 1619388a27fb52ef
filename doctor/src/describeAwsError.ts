/** What an AWS SDK (or network) failure means to an operator, and what to do about it. */
export interface AwsFailure {
  kind: 'not-found' | 'access-denied' | 'credentials' | 'kms' | 'unreachable' | 'other';
  message: string;
}

export function describeAwsError(error: unknown): AwsFailure {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? '';
  const code = e?.code ?? '';
  const message = `${name}${e?.message ? `: ${e.message}` : ''}`;
  if (/ResourceNotFound|NotFound|NoSuchKey|NoSuchBucket|QueueDoesNotExist|NonExistentQueue/.test(name))
    return { kind: 'not-found', message };
  if (/^KMS/.test(name)) return { kind: 'kms', message };
  if (/AccessDenied|Forbidden|AuthorizationError|NotAuthorized/.test(name) || e?.$metadata?.httpStatusCode === 403)
    return { kind: 'access-denied', message };
  if (
    /CredentialsProviderError|UnrecognizedClient|InvalidClientTokenId|ExpiredToken|InvalidSignature|SignatureDoesNotMatch/.test(
      name,
    )
  )
    return { kind: 'credentials', message };
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|TimeoutError|socket hang up/.test(
      `${code} ${name} ${e?.message ?? ''}`,
    )
  )
    return { kind: 'unreachable', message: message || code };
  return { kind: 'other', message: message || String(error) };
}

/** The standard remedy for a failure kind, naming the IAM action when access was denied. */
export function remedyFor(failure: AwsFailure, action: string, notFound: string): string {
  switch (failure.kind) {
    case 'not-found':
      return notFound;
    case 'access-denied':
      return `grant ${action} to this role/user (IAM policy)`;
    case 'credentials':
      return 'provide valid AWS credentials (task role, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) for the right account';
    case 'kms':
      return 'grant kms:Decrypt (and kms:DescribeKey) on the encryption key to this role';
    case 'unreachable':
      return 'check network access to the AWS endpoint (VPC endpoint, proxy, AWS_REGION, AWS_ENDPOINT_URL_* overrides)';
    default:
      return `check the error above; the call was ${action}`;
  }
}
