import { join } from 'node:path';

/** The Connect snapshot benchmarks' settings (both modes): instance size and the request rates to compare. */
export const AGENTS = Number(process.env.AGENTS ?? 5000);
export const PROFILES = Number(process.env.PROFILES ?? 60);
export const RATES = (process.env.RATES ?? '2,20').split(',').map(Number);
/** The built CLI (the benchmarks run from dist/). */
export const CLI = join(__dirname, '..', '..', 'cli', 'main.js');
export const out = (line: string) => process.stdout.write(line + '\n');
