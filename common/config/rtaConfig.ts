import { z } from 'zod';
import { type Env, enumFrom, intFrom, isLoopbackUrl, optionalString, parseSection } from './env';

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
}

const schema = z
  .object({
    WFM_RTA_URL: optionalString,
    WFM_AUTH_KEY: optionalString,
    WFM_SOURCE_ID: optionalString.pipe(z.string().max(50, 'at most 50 characters (Teleopti source_id)').optional()),
    RTA_STATE_MODE: enumFrom([...STATE_MODES], 'status'),
    RTA_LOGGED_OUT_CODE: optionalString.pipe(z.string().max(300).optional()),
    RTA_MAX_BATCH_STATES: intFrom(1000, 1, 10000),
    RTA_SNAPSHOT_INTERVAL_MS: intFrom(0, 0, 24 * 3600 * 1000),
    RTA_REQUEST_TIMEOUT_MS: intFrom(10000, 100, 300000),
    RTA_RETRY_BASE_MS: intFrom(500, 1, 60000),
    RTA_RETRY_MAX_MS: intFrom(30000, 1, 600000),
  })
  .transform((e, ctx) => {
    const url = (e.WFM_RTA_URL ?? `http://127.0.0.1:${LOCAL_RTA_PORT}`).replace(/\/+$/, '');
    const loopback = isLoopbackUrl(url);
    if (!/^https?:\/\//.test(url))
      ctx.addIssue({ code: 'custom', path: ['WFM_RTA_URL'], message: 'must be an http(s) URL' });
    else if (!loopback && !url.startsWith('https://'))
      ctx.addIssue({
        code: 'custom',
        path: ['WFM_RTA_URL'],
        message: 'must use https:// (the key travels in the body)',
      });
    if (!e.WFM_AUTH_KEY && !loopback)
      ctx.addIssue({ code: 'custom', path: ['WFM_AUTH_KEY'], message: 'is required for a non-local WFM' });
    const config: RtaConfig = {
      url,
      authKey: e.WFM_AUTH_KEY ?? LOCAL_AUTH_KEY,
      sourceId: e.WFM_SOURCE_ID ?? 'AmazonConnect',
      stateMode: e.RTA_STATE_MODE,
      loggedOutStateCode: e.RTA_LOGGED_OUT_CODE ?? 'LOGGED_OUT',
      maxBatchStates: e.RTA_MAX_BATCH_STATES,
      snapshotIntervalMillis: e.RTA_SNAPSHOT_INTERVAL_MS,
      requestTimeoutMillis: e.RTA_REQUEST_TIMEOUT_MS,
      retryBaseMillis: e.RTA_RETRY_BASE_MS,
      retryMaxMillis: Math.max(e.RTA_RETRY_MAX_MS, e.RTA_RETRY_BASE_MS),
    };
    return config;
  });

export const readRtaConfig = (env: Env): RtaConfig => parseSection(schema, env);
