import { ConfigError } from '../errors';

export type Env = Record<string, string | undefined>;

/**
 * The process environment. Only common/config/ touches `process.env` (lint enforces it): everything else is handed
 * an `Env` or a validated config, so a test can give any environment and a reader names every bad variable.
 */
export function processEnv(): Env {
  return process.env;
}

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

/**
 * Reads one config section's variables, collecting every problem so that `done()` names all the bad variables at
 * once. Hand-written rather than a schema library: it is loaded by every KCL child process, where zod cost ~11 MB.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** Trimmed value; empty counts as unset, so `FOO=` in a .env file falls back to the default. */
  string(name: string, maxLength = Infinity): string | undefined {
    const value = this.env[name]?.trim() || undefined;
    if (value !== undefined && value.length > maxLength) this.problem(name, `at most ${maxLength} characters`);
    return value;
  }

  int(name: string, def: number, min: number, max: number): number {
    const value = this.string(name);
    if (value === undefined) return def;
    const n = Number(value);
    // Digits only: Number() alone would also take '1e3', '0x10' and '-0'.
    if (!/^\d+$/.test(value) || n < min || n > max)
      this.problem(name, `must be a whole number between ${min} and ${max}`);
    return n;
  }

  /** Like int, but unset stays undefined (for settings whose default belongs to someone else, e.g. the KCL). */
  optionalInt(name: string, min: number, max: number): number | undefined {
    return this.string(name) === undefined ? undefined : this.int(name, 0, min, max);
  }

  bool(name: string, def: boolean): boolean {
    const value = this.string(name);
    if (value === undefined) return def;
    if (!TRUE.includes(value) && !FALSE.includes(value))
      this.problem(name, 'must be one of true, false, 1, 0, yes, no');
    return TRUE.includes(value);
  }

  /** Case-insensitive; returns the value as listed. */
  oneOf<T extends string>(name: string, values: readonly T[], def: T): T {
    const value = this.string(name)?.toLowerCase();
    if (value === undefined) return def;
    if (!values.includes(value as T)) this.problem(name, `must be one of ${values.join(', ')}`);
    return value as T;
  }

  /** The value even when it does not match (the problem is recorded), so cross-field rules still see it is set. */
  matches(name: string, pattern: RegExp, message: string): string | undefined {
    const value = this.string(name);
    if (value !== undefined && !pattern.test(value)) this.problem(name, message);
    return value;
  }

  /** A DynamoDB table name. */
  tableName(name: string): string | undefined {
    return this.matches(name, /^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of A-Za-z0-9_.-)');
  }

  /** For rules that span variables. */
  problem(name: string, message: string): void {
    this.problems.push(`${name}: ${message}`);
  }

  /** Throws one ConfigError listing every problem found so far. */
  done(): void {
    if (this.problems.length > 0) throw invalidConfiguration(this.problems);
  }
}

export const invalidConfiguration = (problems: readonly string[]): ConfigError =>
  new ConfigError(`invalid configuration: ${problems.join('; ')}`, problems);

/**
 * Reads several sections and names every bad variable of all of them at once (each section's reader throws on
 * its own): `read(readRtaConfig)` returns the section, or undefined after recording its problems.
 */
export function readSections<T>(env: Env, compose: (read: <S>(section: (env: Env) => S) => S) => T): T {
  const problems: string[] = [];
  const config = compose((section) => {
    try {
      return section(env);
    } catch (error) {
      if (!(error instanceof ConfigError) || error.problems.length === 0) throw error;
      problems.push(...error.problems);
      return undefined as never;
    }
  });
  if (problems.length > 0) throw invalidConfiguration(problems);
  return config;
}

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts where plain HTTP and the embedded dev key are allowed. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}
