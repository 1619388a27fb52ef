import { type Env, EnvReader } from './env';

/**
 * The Amazon Connect instance the consumer reads current agent states from (GetCurrentUserData). Unset: the
 * consumer learns states from the event stream only, as before.
 */
export interface ConnectConfig {
  /** The instance id (from CONNECT_INSTANCE_ID, or the last part of CONNECT_INSTANCE_ARN); undefined = off. */
  instanceId: string | undefined;
  region: string;
  /** AWS_ENDPOINT_URL_CONNECT: set only against a stand-in (the simulator, tests); switches the client to HTTP/1.1. */
  endpoint: string | undefined;
  /** Compare Connect with what WFM was last sent, and post the differences, this often; 0 = never. */
  reconcileIntervalMillis: number;
  /** The most Connect API calls per second this process makes (the quotas are per account, shared). */
  requestsPerSecond: number;
  /** Attempts per call when Connect throttles (429) or fails on its side (5xx). */
  maxAttempts: number;
}

const INSTANCE_ID = /^[A-Za-z0-9-]{1,100}$/;
const INSTANCE_ARN = /^arn:aws[a-z-]*:connect:([a-z0-9-]+):\d{12}:instance\/([A-Za-z0-9-]{1,100})$/;

export function readConnectConfig(env: Env): ConnectConfig {
  const vars = new EnvReader(env);
  const arn = vars.matches('CONNECT_INSTANCE_ARN', INSTANCE_ARN, 'must be an Amazon Connect instance ARN');
  const id = vars.matches('CONNECT_INSTANCE_ID', INSTANCE_ID, 'must be an Amazon Connect instance id');
  const fromArn = INSTANCE_ARN.exec(arn ?? '');
  if (id && fromArn && fromArn[2] !== id)
    vars.problem('CONNECT_INSTANCE_ID', 'names another instance than CONNECT_INSTANCE_ARN (set one of them)');
  const config: ConnectConfig = {
    instanceId: id ?? fromArn?.[2],
    region: vars.string('AWS_REGION') ?? vars.string('AWS_DEFAULT_REGION') ?? fromArn?.[1] ?? 'us-east-1',
    endpoint: vars.matches('AWS_ENDPOINT_URL_CONNECT', /^https?:\/\//, 'must be an http(s) URL'),
    reconcileIntervalMillis: vars.int('CONNECT_RECONCILE_INTERVAL_MS', 15 * 60 * 1000, 0, 24 * 3600 * 1000),
    // GetCurrentUserData's default quota is 5 requests/s per account (burst 8): take at most half by default.
    requestsPerSecond: vars.int('CONNECT_REQUESTS_PER_SECOND', 2, 1, 100),
    maxAttempts: vars.int('CONNECT_MAX_ATTEMPTS', 8, 1, 50),
  };
  if (config.reconcileIntervalMillis > 0 && config.reconcileIntervalMillis < 1000)
    vars.problem('CONNECT_RECONCILE_INTERVAL_MS', 'must be 0 (off) or at least 1000');
  vars.done();
  return config;
}
