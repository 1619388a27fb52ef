import { type Env, EnvReader, isLoopbackUrl } from './env';

/** Port of the embedded Teleopti-compatible receiver that `npm start` runs; the default WFM target. */
export const LOCAL_RTA_PORT = 8085;
/** Only ever accepted for a loopback WFM URL (the embedded receiver). */
export const LOCAL_AUTH_KEY = 'local-development-key';

export const STATE_MODES = ['status', 'contact'] as const;
export type StateMode = (typeof STATE_MODES)[number];

/** How agent states are derived and delivered to the Teleopti RTA JSON API. */
export interface RtaConfig {
  /** Base URL; the client posts to `{url}/Rta/State/Batch`. */
  url: string;
  authKey: string;
  sourceId: string;
  stateMode: StateMode;
  loggedOutStateCode: string;
  /** Maximum states per delta request (snapshots are never split). */
  maxBatchStates: number;
  /** 0 disables the periodic full snapshot. */
  snapshotIntervalMillis: number;
  requestTimeoutMillis: number;
  retryBaseMillis: number;
  retryMaxMillis: number;
  /** An agent an older Teleopti has no person for is re-posted after this long even if its state did not change. */
  unknownUserRetryMillis: number;
}

export function readRtaConfig(env: Env): RtaConfig {
  const vars = new EnvReader(env);
  const url = (vars.string('WFM_RTA_URL') ?? `http://127.0.0.1:${LOCAL_RTA_PORT}`).replace(/\/+$/, '');
  const authKey = vars.string('WFM_AUTH_KEY');
  const retryBaseMillis = vars.int('RTA_RETRY_BASE_MS', 500, 1, 60000);
  const config: RtaConfig = {
    url,
    authKey: authKey ?? LOCAL_AUTH_KEY,
    sourceId: vars.string('WFM_SOURCE_ID', 50) ?? 'AmazonConnect', // Teleopti's source_id is at most 50 characters
    stateMode: vars.oneOf('RTA_STATE_MODE', STATE_MODES, 'status'),
    loggedOutStateCode: vars.string('RTA_LOGGED_OUT_CODE', 300) ?? 'LOGGED_OUT',
    maxBatchStates: vars.int('RTA_MAX_BATCH_STATES', 1000, 1, 10000),
    snapshotIntervalMillis: vars.int('RTA_SNAPSHOT_INTERVAL_MS', 0, 0, 24 * 3600 * 1000),
    requestTimeoutMillis: vars.int('RTA_REQUEST_TIMEOUT_MS', 10000, 100, 300000),
    retryBaseMillis,
    retryMaxMillis: Math.max(vars.int('RTA_RETRY_MAX_MS', 30000, 1, 600000), retryBaseMillis),
    unknownUserRetryMillis: vars.int('RTA_UNKNOWN_USER_RETRY_MS', 900000, 1000, 24 * 3600 * 1000),
  };
  const loopback = isLoopbackUrl(url);
  if (!/^https?:\/\//.test(url)) vars.problem('WFM_RTA_URL', 'must be an http(s) URL');
  // `replay`, `doctor` and logs print the URL; credentials belong in WFM_AUTH_KEY, never in it (not echoed here).
  else if (hasUserinfo(url))
    vars.problem(
      'WFM_RTA_URL',
      'must not contain a user name or password (userinfo); WFM authenticates with WFM_AUTH_KEY',
    );
  else if (!loopback && !url.startsWith('https://'))
    vars.problem('WFM_RTA_URL', 'must use https:// (the key travels in the body)');
  if (!authKey && !loopback) vars.problem('WFM_AUTH_KEY', 'is required for a non-local WFM');
  vars.done();
  return config;
}

/** True when the URL's authority has a `user[:password]@` part (also when the URL does not parse as a whole). */
function hasUserinfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return /^[a-z]+:\/\/[^/?#]*@/i.test(url);
  }
}
