import { loadConsumerConfig } from '../../../common/config/loadConfig';
import { readConnectConfig } from '../../../common/config/connectConfig';
import { readPipelineConfig } from '../../../common/config/pipelineConfig';
import { LOCAL_AUTH_KEY, readRtaConfig } from '../../../common/config/rtaConfig';
import { ConfigError } from '../../../common/errors';

describe('configuration', () => {
  it('RTA defaults target the local receiver with the development key', () => {
    expect(readRtaConfig({})).toMatchObject({
      url: 'http://127.0.0.1:8085',
      authKey: LOCAL_AUTH_KEY,
      sourceId: 'AmazonConnect',
      stateMode: 'status',
      loggedOutStateCode: 'LOGGED_OUT',
      maxBatchStates: 1000,
      snapshotIntervalMillis: 0,
    });
  });

  it('a remote WFM needs https and a key; values are trimmed, modes case-insensitive, limits enforced', () => {
    expect(() => readRtaConfig({ WFM_RTA_URL: 'http://wfm.example.com', WFM_AUTH_KEY: 'k' })).toThrow(
      'invalid configuration: WFM_RTA_URL: must use https:// (the key travels in the body)',
    );
    expect(() => readRtaConfig({ WFM_RTA_URL: 'https://wfm.example.com' })).toThrow(
      'invalid configuration: WFM_AUTH_KEY: is required for a non-local WFM',
    );
    expect(
      readRtaConfig({ WFM_RTA_URL: ' https://wfm.example.com/ ', WFM_AUTH_KEY: ' k ', RTA_STATE_MODE: 'CONTACT' }),
    ).toMatchObject({ url: 'https://wfm.example.com', authKey: 'k', stateMode: 'contact' });
    expect(() => readRtaConfig({ WFM_SOURCE_ID: 'x'.repeat(51) })).toThrow(/WFM_SOURCE_ID: at most 50 characters/);
    expect(() => readRtaConfig({ RTA_MAX_BATCH_STATES: '1e3' })).toThrow(
      /RTA_MAX_BATCH_STATES: must be a whole number between 1 and 10000/,
    );
  });

  it('refuses a user name or password in WFM_RTA_URL, naming the variable without echoing the secret', () => {
    for (const url of ['https://user:s3cr3t-pw@wfm.example.com', 'https://s3cr3t-pw@wfm.example.com/rta']) {
      let error: unknown;
      try {
        readRtaConfig({ WFM_RTA_URL: url, WFM_AUTH_KEY: 'k' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'WFM_RTA_URL: must not contain a user name or password (userinfo); WFM authenticates with WFM_AUTH_KEY',
      ]);
      expect(String((error as Error).message)).not.toContain('s3cr3t-pw');
    }
  });

  it('unknown agents are retried every 15 minutes and idle agents evicted after 7 days unless configured otherwise', () => {
    expect(readRtaConfig({}).unknownUserRetryMillis).toBe(900_000);
    expect(readPipelineConfig({}).agentEvictAfterMillis).toBe(7 * 24 * 3600_000);
    expect(readRtaConfig({ RTA_UNKNOWN_USER_RETRY_MS: '60000' }).unknownUserRetryMillis).toBe(60_000);
    expect(readPipelineConfig({ AGENT_EVICT_AFTER_HOURS: '24' }).agentEvictAfterMillis).toBe(24 * 3600_000);
    expect(() => readRtaConfig({ RTA_UNKNOWN_USER_RETRY_MS: '10' })).toThrow(
      /RTA_UNKNOWN_USER_RETRY_MS: must be a whole number between 1000 and 86400000/,
    );
    expect(() => readPipelineConfig({ AGENT_EVICT_AFTER_HOURS: '0' })).toThrow(
      /AGENT_EVICT_AFTER_HOURS: must be a whole number between 1 and 8760/,
    );
  });

  it('a bad start names every bad variable of every section at once', () => {
    let error: unknown;
    try {
      loadConsumerConfig({
        WFM_RTA_URL: 'ftp://wfm',
        RTA_WINDOW_MS: 'soon',
        KINESIS_STREAM_ARN: 'not-an-arn',
        METRICS_EMF: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'WFM_RTA_URL',
      'WFM_AUTH_KEY',
      'RTA_WINDOW_MS',
      'KINESIS_STREAM_ARN',
      'METRICS_EMF',
    ]);
    expect((error as Error).message).toMatch(/^invalid configuration: WFM_RTA_URL: must be an http\(s\) URL; /);
  });

  it('Amazon Connect is off unless an instance is named; an ARN gives id and Region; the two must agree', () => {
    expect(readConnectConfig({})).toMatchObject({
      instanceId: undefined,
      reconcileIntervalMillis: 900000,
      requestsPerSecond: 2,
    });
    const arn = 'arn:aws:connect:eu-west-1:111122223333:instance/00000000-1111-2222-3333-444444444444';
    expect(readConnectConfig({ CONNECT_INSTANCE_ARN: arn })).toMatchObject({
      instanceId: '00000000-1111-2222-3333-444444444444',
      region: 'eu-west-1',
    });
    expect(() => readConnectConfig({ CONNECT_INSTANCE_ARN: arn, CONNECT_INSTANCE_ID: 'other' })).toThrow(
      /CONNECT_INSTANCE_ID: names another instance than CONNECT_INSTANCE_ARN/,
    );
    expect(() =>
      readConnectConfig({
        CONNECT_INSTANCE_ID: 'i',
        CONNECT_RECONCILE_INTERVAL_MS: '500',
        AWS_ENDPOINT_URL_CONNECT: 'x',
      }),
    ).toThrow(
      /AWS_ENDPOINT_URL_CONNECT: must be an http\(s\) URL; CONNECT_RECONCILE_INTERVAL_MS: must be 0 \(off\) or at least 1000/,
    );
  });
});
