import { z } from 'zod';
import { type Env, optionalString, parseSection } from './env';

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

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

const schema = z
  .object({
    CHECKPOINT_TABLE: optionalString,
    AGENT_STATE_TABLE: optionalString,
    STATE_DIR: optionalString,
    AWS_REGION: optionalString,
    AWS_DEFAULT_REGION: optionalString,
    AWS_ENDPOINT_URL_DYNAMODB: optionalString,
  })
  .transform((e, ctx) => {
    for (const key of ['CHECKPOINT_TABLE', 'AGENT_STATE_TABLE'] as const) {
      const v = e[key];
      if (v && !TABLE_NAME.test(v))
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be a DynamoDB table name (3-255 of A-Za-z0-9_.-)' });
    }
    if (e.AGENT_STATE_TABLE && !e.CHECKPOINT_TABLE)
      ctx.addIssue({ code: 'custom', path: ['AGENT_STATE_TABLE'], message: 'needs CHECKPOINT_TABLE as well' });
    const config: CheckpointConfig = {
      table: e.CHECKPOINT_TABLE,
      agentStateTable: e.AGENT_STATE_TABLE ?? (e.CHECKPOINT_TABLE ? `${e.CHECKPOINT_TABLE}-agent-states` : undefined),
      stateDir: e.STATE_DIR ?? '.state',
      region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1',
      endpoint: e.AWS_ENDPOINT_URL_DYNAMODB,
    };
    return config;
  });

export const readCheckpointConfig = (env: Env): CheckpointConfig => parseSection(schema, env);
