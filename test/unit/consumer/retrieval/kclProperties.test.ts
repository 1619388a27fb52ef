import { readCheckpointConfig } from '../../../../common/config/checkpointConfig';
import { readKclConfig } from '../../../../common/config/kclConfig';
import { readKinesisConfig } from '../../../../common/config/kinesisConfig';
import { readOpsConfig } from '../../../../common/config/opsConfig';
import { ConfigError } from '../../../../common/errors';
import { buildKclProperties } from '../../../../consumer/src/retrieval/kcl/kclProperties';

const parse = (text: string): Map<string, string> =>
  new Map(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf(' = ')), l.slice(l.indexOf(' = ') + 3)]),
  );

function build(env: Record<string, string>, now = Date.UTC(2026, 0, 2)) {
  return buildKclProperties({
    kinesis: readKinesisConfig(env),
    checkpoint: readCheckpointConfig(env),
    ops: readOpsConfig(env),
    kcl: readKclConfig(env),
    workerId: 'task-0123',
    now,
  });
}

describe('buildKclProperties', () => {
  test('production: stream ARN, lease table as application, explicit POLLING, TRIM_HORIZON + now − 24 h, grace, ticks', () => {
    // Prepare
    const now = Date.UTC(2026, 0, 2);
    // Act
    const text = build(
      {
        KINESIS_STREAM_ARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/agent-events',
        CHECKPOINT_TABLE: 'rta-leases',
      },
      now,
    );
    const p = parse(text);
    // Assess
    expect(p.get('streamArn')).toBe('arn:aws:kinesis:eu-west-1:123456789012:stream/agent-events');
    expect(p.has('streamName')).toBe(false);
    expect(p.get('regionName')).toBe('eu-west-1');
    expect(p.get('applicationName')).toBe('rta-leases');
    expect(p.get('retrievalMode')).toBe('POLLING');
    expect(p.get('initialPositionInStream')).toBe('TRIM_HORIZON');
    expect(p.get('initialPositionInStreamExtended')).toBe(String((now - 24 * 3600 * 1000) / 1000));
    expect(p.get('workerId')).toBe('task-0123');
    expect(Number(p.get('shutdownGraceMillis'))).toBeGreaterThan(0);
    expect(p.get('callProcessRecordsEvenForEmptyRecordList')).toBe('true');
    expect(p.get('AwsCredentialsProvider')).toBe('DefaultCredentialsProvider');
    expect(p.get('metricsLevel')).toBe('SUMMARY');
    expect(p.has('maxActiveThreads')).toBe(false);
    expect(p.has('kinesisEndpoint')).toBe(false);
    // Java .properties keeps trailing spaces: there must be none
    expect(text.split('\n').filter((l) => / $|\r/.test(l))).toEqual([]);
  });

  test('local: endpoint overrides, metrics off, FANOUT when asked', () => {
    // Act
    const p = parse(
      build({
        KINESIS_STREAM_NAME: 'events',
        AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:4568',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
        KCL_RETRIEVAL_MODE: 'FANOUT',
      }),
    );
    // Assess
    expect(p.get('streamName')).toBe('events');
    expect(p.get('kinesisEndpoint')).toBe('http://127.0.0.1:4568');
    expect(p.get('dynamoDBEndpoint')).toBe('http://127.0.0.1:8000');
    expect(p.get('metricsLevel')).toBe('NONE');
    expect(p.get('retrievalMode')).toBe('FANOUT');
    expect(p.get('applicationName')).toBe('connect-wfm-rta');
  });

  test('no stream configured is a configuration error', () => {
    expect(() => build({})).toThrow(ConfigError);
  });
});
