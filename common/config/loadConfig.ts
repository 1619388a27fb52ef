import { type CheckpointConfig, readCheckpointConfig } from './checkpointConfig';
import { type ConnectConfig, readConnectConfig } from './connectConfig';
import { type Env, readSections } from './env';
import { type KclConfig, readKclConfig } from './kclConfig';
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
  /** Amazon Connect's own view of current agent states (first start, outage, reconciliation). */
  connect: ConnectConfig;
}

type SectionReader = <S>(section: (env: Env) => S) => S;

const consumerSections = (read: SectionReader): ConsumerConfig => ({
  rta: read(readRtaConfig),
  pipeline: read(readPipelineConfig),
  kinesis: read(readKinesisConfig),
  checkpoint: read(readCheckpointConfig),
  ops: read(readOpsConfig),
  connect: read(readConnectConfig),
});

export function loadConsumerConfig(env: Env = process.env): ConsumerConfig {
  return readSections(env, consumerSections);
}

/** KCL mode's daemon (`kcl-daemon`, `kcl-properties`): the consumer's sections plus how the JVM is run. */
export interface KclDaemonConfig extends ConsumerConfig {
  kcl: KclConfig;
}

export function loadKclDaemonConfig(env: Env = process.env): KclDaemonConfig {
  return readSections(env, (read) => ({ ...consumerSections(read), kcl: read(readKclConfig) }));
}
