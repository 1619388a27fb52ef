import { type Env, EnvReader } from './env';

/** Where checkpoints and the last delivered agent states are kept. */
export interface CheckpointConfig {
  /**
   * DynamoDB table in the KCL lease-table layout (also the KCL application name in KCL mode). When absent, the
   * embedded local file store under `stateDir` is used.
   */
  table: string | undefined;
  /** DynamoDB table for the last delivered state of every agent (default `<table>-agent-states`). */
  agentStateTable: string | undefined;
  /** Directory of the embedded local store. */
  stateDir: string;
  region: string;
  /** AWS_ENDPOINT_URL_DYNAMODB: set only against an emulator; switches the client to HTTP/1.1. */
  endpoint: string | undefined;
}

export function readCheckpointConfig(env: Env): CheckpointConfig {
  const vars = new EnvReader(env);
  const table = vars.tableName('CHECKPOINT_TABLE');
  const agentStateTable = vars.tableName('AGENT_STATE_TABLE');
  if (agentStateTable && !table) vars.problem('AGENT_STATE_TABLE', 'needs CHECKPOINT_TABLE as well');
  const config: CheckpointConfig = {
    table,
    agentStateTable: agentStateTable ?? (table ? `${table}-agent-states` : undefined),
    stateDir: vars.string('STATE_DIR') ?? '.state',
    region: vars.string('AWS_REGION') ?? vars.string('AWS_DEFAULT_REGION') ?? 'us-east-1',
    endpoint: vars.string('AWS_ENDPOINT_URL_DYNAMODB'),
  };
  vars.done();
  return config;
}
