import type { Env } from './env';

/**
 * What `npm start` takes from its own environment: the log level of the stack and of its consumer, and the state
 * mode the consumer runs with (the rest of the consumer's settings are the stack's own). Validated by the consumer's
 * reader, which fails its start with a clear message.
 */
export interface LocalStackSettings {
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  consumerSettings: Record<string, string>;
}

export function readLocalStackSettings(env: Env = process.env): LocalStackSettings {
  const level = env['LOG_LEVEL'];
  const consumerSettings: Record<string, string> = {};
  for (const name of ['RTA_STATE_MODE', 'LOG_LEVEL']) {
    const value = env[name];
    if (value) consumerSettings[name] = value;
  }
  return {
    logLevel: level === 'debug' || level === 'info' || level === 'error' ? level : 'warn',
    consumerSettings,
  };
}
