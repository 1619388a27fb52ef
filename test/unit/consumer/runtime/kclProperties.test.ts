import { readCheckpointConfig } from '../../../../common/config/checkpointConfig';
import { readKclConfig } from '../../../../common/config/kclConfig';
import { readKinesisConfig } from '../../../../common/config/kinesisConfig';
import { readOpsConfig } from '../../../../common/config/opsConfig';
import { ConfigError } from '../../../../common/errors';
import { buildKclProperties } from '../../../../consumer/src/runtime/kcl/kclProperties';

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
  test("a first start's Connect snapshot: leases without a checkpoint start at its time, not at now − lookback", () => {
    // Prepare
    const env = { KINESIS_STREAM_NAME: 'agents', CHECKPOINT_TABLE: 'rta-leases' };
    const snapshotAt = Date.UTC(2026, 0, 2, 8, 30, 15, 999);
    // Act
    const p = parse(
      buildKclProperties({
        kinesis: readKinesisConfig(env),
        checkpoint: readCheckpointConfig(env),
        ops: readOpsConfig(env),
        kcl: readKclConfig(env),
        workerId: 'task-0123',
        now: Date.UTC(2026, 0, 2, 9),
        initialTimestampMillis: snapshotAt,
      }),
    );
    // Assess
    expect(p.get('initialPositionInStream')).toBe('TRIM_HORIZON');
    expect(p.get('initialPositionInStreamExtended')).toBe(String(Math.floor(snapshotAt / 1000)));
  });

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
    // KCL 3 probes EC2/ECS metadata for worker metrics: off against emulators
    expect(p.get('disableWorkerMetrics')).toBe('true');
  });

  test('KCL 3: the tables Terraform created, failover timing and a lease cap from the environment; defaults otherwise', () => {
    // Act
    const set = parse(
      build({
        KINESIS_STREAM_NAME: 'events',
        CHECKPOINT_TABLE: 'rta-leases',
        KCL_COORDINATOR_STATE_TABLE: 'rta-coordinator',
        KCL_WORKER_METRICS_TABLE: 'rta-worker-metrics',
        KCL_FAILOVER_TIME_MS: '3000',
        KCL_MAX_LEASES_FOR_WORKER: '8',
        KCL_PARENT_SHARD_POLL_INTERVAL_MS: '1000',
        KINESIS_SHARD_SYNC_INTERVAL_MS: '2000',
      }),
    );
    const defaults = parse(build({ KINESIS_STREAM_NAME: 'events' }));
    // Assess
    expect(set.get('coordinatorStateTableName')).toBe('rta-coordinator');
    expect(set.get('workerMetricsTableName')).toBe('rta-worker-metrics');
    expect(set.get('failoverTimeMillis')).toBe('3000');
    expect(set.get('maxLeasesForWorker')).toBe('8');
    expect(set.get('parentShardPollIntervalMillis')).toBe('1000');
    expect(set.get('shardSyncIntervalMillis')).toBe('2000');
    expect(defaults.get('failoverTimeMillis')).toBe('10000');
    for (const key of [
      'coordinatorStateTableName',
      'workerMetricsTableName',
      'maxLeasesForWorker',
      'disableWorkerMetrics',
    ])
      expect(defaults.has(key)).toBe(false);
    // The child: this node, the lean entry of this build by absolute path, the child's heap flags
    expect(defaults.get('executableName')).toMatch(
      new RegExp(
        `^env MALLOC_ARENA_MAX=1 \\S+ ${process.execPath} --max-old-space-size=128 --max-semi-space-size=1 --optimize-for-size /\\S+/consumer/src/main\\.js kcl-processor$`,
      ),
    );
  });

  test('a bad KCL setting is a configuration error naming the variable', () => {
    expect(() => build({ KINESIS_STREAM_NAME: 'e', KCL_MAX_LEASES_FOR_WORKER: '0' })).toThrow(
      /KCL_MAX_LEASES_FOR_WORKER/,
    );
  });

  test('no stream configured is a configuration error', () => {
    expect(() => build({})).toThrow(ConfigError);
  });
});
