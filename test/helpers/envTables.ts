import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, proseLines } from './repoDocs';

/** One row of a documentation table whose first header cell is "Variable". */
export interface EnvRow {
  file: string;
  line: number;
  names: string[];
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * The environment-variable rows of a Markdown file: tables headed `| Variable | …`; a row documents every
 * `UPPER_CASE` name written in backticks in its first cell (`A` / `B`, `A`, `B` (image only), …).
 */
export function envRows(file: string, markdown: string): EnvRow[] {
  const rows: EnvRow[] = [];
  let inEnvTable = false;
  for (const { line, number } of proseLines(markdown)) {
    if (!line.startsWith('|')) {
      inEnvTable = false;
      continue;
    }
    const first = line.split('|')[1]?.trim() ?? '';
    if (first === 'Variable') {
      inEnvTable = true;
      continue;
    }
    if (!inEnvTable || /^:?-+:?$/.test(first)) continue;
    const names = [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((n) => ENV_NAME.test(n));
    rows.push({ file, line: number, names });
  }
  return rows;
}

export type ConfigReader = (env: Record<string, string | undefined>) => unknown;

/** Every `read…Config` function exported by common/config/, by name (a new reader is picked up by itself). */
export function configReaders(): Map<string, ConfigReader> {
  const dir = join(REPO_ROOT, 'common', 'config');
  const readers = new Map<string, ConfigReader>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(join(dir, file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports))
      if (/^read\w+Config$/.test(name) && typeof value === 'function') readers.set(name, value as ConfigReader);
  }
  return readers;
}

/**
 * The variables a reader looks at, observed rather than parsed: it reads an environment that records every lookup,
 * once with nothing set and once with everything set, so names read only in one branch (a fallback, or a setting
 * that only matters when another is present) are seen too. Validation errors are expected and ignored.
 */
export function variablesRead(reader: ConfigReader): Set<string> {
  const seen = new Set<string>();
  for (const value of [undefined, '1']) {
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_, key) => {
        if (typeof key === 'string' && ENV_NAME.test(key)) seen.add(key);
        return value;
      },
      has: (_, key) => {
        if (typeof key === 'string' && ENV_NAME.test(key)) seen.add(key);
        return value !== undefined;
      },
    });
    try {
      reader(env);
    } catch {
      // a ConfigError naming the variables it did not like: the lookups are what counts here
    }
  }
  return seen;
}
