import { errorMessage } from '../../../common/errors';
import { RtaRejectedError, RtaUnavailableError } from './errors';

/** The most of WFM's reply text an error, a log line or a CLI message carries. */
export const MAX_REPLY_TEXT = 300;
/** Redaction runs on this much of a reply; the rest is cut anyway (a hostile reply can be any size). */
const SCANNED = 64 * 1024;
/** A key shorter than this is not redacted literally (it would garble ordinary words; it protects nothing anyway). */
const MIN_LITERAL_SECRET = 4;
const REDACTED = '[redacted]';

/** `name: value`, `"name":"value"` or `name=value` where the name says secret. */
const SECRET_FIELD =
  /("?\b(?:authentication_?key|auth_?key|api_?key|access_?key|pass(?:word|wd)?|secret|token|authorization)"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|(?:bearer|basic)\s+[^\s,;&}"]+|[^\s,;&}"]+)/gi;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * WFM's answer to a failed post, as text an error or a log line may carry. Whatever answered (Teleopti, or a proxy or
 * error page in front of it) may echo the request, which holds the key: the key in every form it travels (raw,
 * JSON-escaped, URL-encoded) and any value under a secret-looking name are redacted, control and bidi characters
 * (terminal and log injection) become spaces, and the result is capped. Never for unauthenticated endpoints: see
 * `publicFailureReason`.
 */
export function untrustedReplyText(data: unknown, secrets: readonly string[]): string {
  let text =
    typeof data === 'string'
      ? data
      : data && typeof data === 'object' && 'Message' in data
        ? String((data as { Message: unknown }).Message)
        : '';
  text = text.slice(0, SCANNED);
  for (const secret of secrets) {
    if (secret.length < MIN_LITERAL_SECRET) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]))
      text = text.split(form).join(REDACTED);
  }
  text = text.replace(SECRET_FIELD, (_, name: string, value: string) =>
    value.startsWith('"') ? `${name}"${REDACTED}"` : name + REDACTED,
  );
  text = text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
  if (text === '') return '(no message)';
  return text.length > MAX_REPLY_TEXT ? text.slice(0, MAX_REPLY_TEXT - 1) + '…' : text;
}

/**
 * A delivery failure as `/healthz` and the KCL status files may show it: the HTTP status or the network condition,
 * never the reply text (those endpoints are unauthenticated, and even redacted text is WFM's, not ours).
 */
export function publicFailureReason(error: unknown): string {
  if (error instanceof RtaRejectedError) return `Teleopti RTA rejected the request (HTTP ${error.status})`;
  if (error instanceof RtaUnavailableError)
    return error.status === undefined ? error.message : `Teleopti RTA answered HTTP ${error.status}`;
  return error instanceof Error ? error.name : errorMessage(error);
}
