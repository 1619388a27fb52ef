import { readCheckpointConfig } from '../../../common/config/checkpointConfig';
import { readKinesisConfig } from '../../../common/config/kinesisConfig';
import { readOpsConfig } from '../../../common/config/opsConfig';
import { ConfigError } from '../../../common/errors';

describe('consumer configuration sections', () => {
  test('defaults: 24 h look-back, polling, 200 ms floor between reads, file store under .state, health on 8080', () => {
    // Act
    const kinesis = readKinesisConfig({ KINESIS_STREAM_NAME: 's' });
    const checkpoint = readCheckpointConfig({});
    const ops = readOpsConfig({});
    // Assess
    expect(kinesis).toMatchObject({
      streamName: 's',
      initialLookbackMillis: 86400000,
      retrievalMode: 'polling',
      region: 'us-east-1',
    });
    expect(checkpoint).toMatchObject({ table: undefined, stateDir: '.state' });
    expect(ops).toMatchObject({ healthPort: 8080, emfEnabled: true, shutdownTimeoutMillis: 25000 });
  });

  test('a stream ARN gives the name and region; the agent-state table defaults from the checkpoint table', () => {
    // Act
    const kinesis = readKinesisConfig({
      KINESIS_STREAM_ARN: 'arn:aws:kinesis:ap-southeast-2:123456789012:stream/events',
    });
    const checkpoint = readCheckpointConfig({ CHECKPOINT_TABLE: 'leases' });
    // Assess
    expect(kinesis).toMatchObject({ streamName: 'events', region: 'ap-southeast-2' });
    expect(checkpoint.agentStateTable).toBe('leases-agent-states');
  });

  test('every bad variable is named', () => {
    expect(() => readKinesisConfig({ KINESIS_STREAM_ARN: 'nope', KINESIS_POLL_INTERVAL_MS: '50' })).toThrow(
      /KINESIS_POLL_INTERVAL_MS.*KINESIS_STREAM_ARN|KINESIS_STREAM_ARN.*KINESIS_POLL_INTERVAL_MS/,
    );
    expect(() => readCheckpointConfig({ AGENT_STATE_TABLE: 'x-states' })).toThrow(ConfigError);
  });
});
