import { processEnv } from '../config/env';
/**
 * Structured JSON logs, one object per line, always on stderr: in MultiLang (KCL) mode stdout belongs to the
 * protocol, and ECS/Lambda collect stderr as well. Fields whose names look secret are redacted before writing.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /(pass(word)?|secret|token|authorization|auth_?key|authenticationkey|private_?key|credential)/i;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

const stderrSink: LogSink = (line) => {
  process.stderr.write(line + '\n');
};

/** Replaces the value of every field whose name looks like a secret, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export function createLogger(options: { level?: LogLevel; sink?: LogSink; fields?: LogFields } = {}): Logger {
  const threshold = LEVELS[options.level ?? parseLevel(processEnv()['LOG_LEVEL'])];
  const sink = options.sink ?? stderrSink;
  const base = options.fields ?? {};
  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (LEVELS[level] < threshold) return;
    const entry = redact({ time: new Date().toISOString(), level, msg, ...base, ...fields });
    sink(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ level: levelName(threshold), sink, fields: { ...base, ...fields } }),
  };
}

function parseLevel(value: string | undefined): LogLevel {
  const v = (value ?? 'info').toLowerCase();
  return v in LEVELS ? (v as LogLevel) : 'info';
}

function levelName(threshold: number): LogLevel {
  return (Object.keys(LEVELS) as LogLevel[]).find((l) => LEVELS[l] === threshold) ?? 'info';
}

/** A logger that drops everything: for benchmarks and tests that assert on other things. */
export const silentLogger: Logger = createLogger({ sink: () => undefined, level: 'error' });
