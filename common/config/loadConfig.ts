import { type CheckpointConfig, readCheckpointConfig } from './checkpointConfig';
import { type Env, readSections } from './env';
import { type KinesisConfig, readKinesisConfig } from './kinesisConfig';
import { type OpsConfig, readOpsConfig } from './opsConfig';
import { type PipelineConfig, readPipelineConfig } from './pipelineConfig';
import { type RtaConfig, readRtaConfig } from './rtaConfig';

/**
 * The one place the consumer reads process.env. Each section has its own reader (and its own file);
 * this composes the sections a command needs and fails fast, naming every bad variable.
 */
export interface ConsumerConfig {
  rta: RtaConfig;
  pipeline: PipelineConfig;
  kinesis: KinesisConfig;
  checkpoint: CheckpointConfig;
  ops: OpsConfig;
}

export function loadConsumerConfig(env: Env = process.env): ConsumerConfig {
  return readSections(env, (read) => ({
    rta: read(readRtaConfig),
    pipeline: read(readPipelineConfig),
    kinesis: read(readKinesisConfig),
    checkpoint: read(readCheckpointConfig),
    ops: read(readOpsConfig),
  }));
}
