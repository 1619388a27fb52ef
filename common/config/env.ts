import { z } from 'zod';
import { ConfigError } from '../errors';

export type Env = Record<string, string | undefined>;

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const intFrom = (def: number, min: number, max: number) =>
  optionalString
    .pipe(
      z
        .string()
        .regex(/^\d+$/, 'must be a whole number')
        .transform(Number)
        .pipe(z.number().int().min(min).max(max))
        .optional(),
    )
    .transform((v) => v ?? def);

export const boolFrom = (def: boolean) =>
  optionalString
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional())
    .transform((v) => (v === undefined ? def : v === 'true' || v === '1' || v === 'yes'));

export const enumFrom = <T extends [string, ...string[]]>(values: T, def: T[number]) =>
  optionalString
    .transform((v) => v?.toLowerCase())
    .pipe(z.enum(values).optional())
    .transform((v) => v ?? def);

/** Parses one config section; every problem is reported at once, naming the variable. */
export function parseSection<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
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
