import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, proseLines } from './repoDocs';

/** One row of a documentation table whose first header cell is "Variable". */
export interface EnvRow {
  file: string;
  line: number;
  names: string[];
  /** The row's second cell (the default). */
  defaults: string;
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
    const cells = line.split('|');
    const first = cells[1]?.trim() ?? '';
    if (first === 'Variable') {
      inEnvTable = true;
      continue;
    }
    if (!inEnvTable || /^:?-+:?$/.test(first)) continue;
    const names = [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((n) => ENV_NAME.test(n));
    rows.push({ file, line: number, names, defaults: cells[2]?.trim() ?? '' });
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

/**
 * The defaults written in the readers' source, for the simple forms: `vars.int('X', 500, …)`, `vars.bool('X', true)`,
 * `vars.oneOf('X', LIST, 'polling')` and `vars.string('X') ?? 'text'` (arithmetic such as `24 * 3600 * 1000` is
 * evaluated). Other forms have no entry.
 */
export function readerDefaults(): Map<string, number | boolean | string> {
  const dir = join(REPO_ROOT, 'common', 'config');
  const defaults = new Map<string, number | boolean | string>();
  const source = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  for (const m of source.matchAll(/vars\.int\(\s*'([A-Z0-9_]+)',\s*([\d\s*+]+?)\s*,/g))
    defaults.set(
      m[1]!,
      m[2]!.split('+').reduce((sum, t) => sum + t.split('*').reduce((p, f) => p * Number(f), 1), 0),
    );
  for (const m of source.matchAll(/vars\.bool\(\s*'([A-Z0-9_]+)',\s*(true|false)\s*\)/g))
    defaults.set(m[1]!, m[2] === 'true');
  for (const m of source.matchAll(/vars\.oneOf\(\s*'([A-Z0-9_]+)',\s*\w+,\s*'([^']*)'\s*\)/g))
    defaults.set(m[1]!, m[2]!);
  for (const m of source.matchAll(/vars\.string\(\s*'([A-Z0-9_]+)'(?:,\s*\d+)?\)\s*\?\?\s*'([^']*)'/g))
    defaults.set(m[1]!, m[2]!);
  return defaults;
}

const UNIT_MILLIS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, day: 86_400_000 };

/** The unit a variable's name gives its value (`…_MS`, `…_SECONDS`, `…_HOURS`, `…_DAYS`), in milliseconds. */
const unitOf = (name: string): number | undefined =>
  /_MS$/.test(name)
    ? 1
    : /_SECONDS$/.test(name)
      ? 1000
      : /_HOURS$/.test(name)
        ? 3_600_000
        : /_DAYS$/.test(name)
          ? 86_400_000
          : undefined;

/**
 * The default a table cell states for a variable, when it states one in a comparable form: a number, optionally
 * with a unit (`24 h`, `900000 (15 min)`), `true`/`false`, or a value in backticks. Undefined for prose (`–`,
 * `SDK default chain`, `ECS task id, else host name`).
 */
export function documentedDefault(name: string, cell: string): number | boolean | string | undefined {
  const text = cell.trim();
  const code = /^`([^`]*)`/.exec(text);
  const plain = code ? code[1]! : text;
  const number = /^(\d[\d,]*(?:\.\d+)?)(?:\s*(ms|s|min|h|days?)\b)?/.exec(plain);
  if (number) {
    const value = Number(number[1]!.replace(/,/g, ''));
    const unit = number[2]?.startsWith('day') ? 'day' : number[2];
    const target = unitOf(name);
    return unit === undefined || target === undefined ? value : (value * UNIT_MILLIS[unit]!) / target;
  }
  if (/^(true|false)\b/.test(plain)) return plain.startsWith('true');
  return code ? plain : undefined;
}
