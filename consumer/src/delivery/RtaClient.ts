import type { RtaConfig } from '../../../common/config/rtaConfig';
import type { StateBatch, StateDelivery } from './types';
import { RtaRejectedError, RtaUnavailableError, RtaUnknownUserCodeError, unknownUserCodeIn } from './errors';
import { JsonPoster, NetworkError } from './postJson';
import { untrustedReplyText } from './untrustedReply';

export const BATCH_PATH = '/Rta/State/Batch';

/** The JSON body of `POST Rta/State/Batch` (docs/reference/teleopti-rta-api.md#batch-request). */
export interface RtaBatchBody {
  AuthenticationKey: string;
  SourceId: string;
  IsSnapshot: boolean;
  States: { UserCode: string; StateCode: string; StateDescription: string }[];
}

/**
 * One attempt per call to Teleopti's RTA JSON API. It never retries and never splits: the pipeline decides what
 * to send and when (chunking deltas, never chunking snapshots, coalescing during outages).
 * 2xx → delivered. 400 naming an unknown user code (older Teleopti) → RtaUnknownUserCodeError. 3xx, 400 (and other
 * 4xx but 408/429) → RtaRejectedError. Network errors, timeouts, 408, 429, 5xx → RtaUnavailableError. TLS
 * certificates are always verified. Errors never carry the request body (it holds the key), and WFM's reply text only
 * as `untrustedReplyText` (a proxy may echo the body).
 */
export class RtaClient implements StateDelivery {
  private readonly http: JsonPoster;

  constructor(private readonly rta: Pick<RtaConfig, 'url' | 'authKey' | 'sourceId' | 'requestTimeoutMillis'>) {
    // The batch path is appended to the configured URL, whatever path that URL has (a WFM behind a path prefix).
    this.http = new JsonPoster(`${rta.url.replace(/\/+$/, '')}${BATCH_PATH}`, rta.requestTimeoutMillis);
  }

  async post(batch: StateBatch): Promise<void> {
    const body: RtaBatchBody = {
      AuthenticationKey: this.rta.authKey,
      SourceId: this.rta.sourceId,
      IsSnapshot: batch.isSnapshot,
      States: batch.states.map((s) => ({
        UserCode: s.userCode,
        StateCode: s.stateCode,
        StateDescription: s.stateCode,
      })),
    };
    let status: number;
    let data: unknown;
    try {
      ({ status, data } = await this.http.post(body));
    } catch (error) {
      throw new RtaUnavailableError(`Teleopti RTA unreachable: ${describeNetworkError(error)}`);
    }
    if (status >= 200 && status < 300) return;
    // Whatever answered may echo the request (and its key): untrusted text, redacted and capped.
    const message = untrustedReplyText(data, [this.rta.authKey]);
    // A redirect means a wrong base URL; following it would resend the key to another address.
    if (status < 400) throw new RtaRejectedError(status, `redirect not followed (check WFM_RTA_URL)`);
    const unknownUser = status === 400 ? unknownUserCodeIn(message) : undefined;
    if (unknownUser !== undefined) throw new RtaUnknownUserCodeError(status, message, unknownUser);
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new RtaRejectedError(status, message);
    throw new RtaUnavailableError(`Teleopti RTA answered HTTP ${status}: ${message}`, status);
  }

  /**
   * For `doctor`: proves the endpoint is reachable, its TLS certificate valid and the key accepted, without
   * changing anything: a non-snapshot batch with no states authenticates and enqueues nothing that touches an
   * agent (a snapshot, even empty, would log agents out, so it is never used here).
   */
  probe(): Promise<void> {
    return this.post({ states: [], isSnapshot: false });
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof NetworkError) return [error.code, error.message].filter(Boolean).join(' ');
  return error instanceof Error ? error.message : String(error);
}
