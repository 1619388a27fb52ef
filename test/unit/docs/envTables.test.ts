import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  configReaders,
  documentedDefault,
  envRows,
  readerDefaults,
  variablesRead,
  type EnvRow,
} from '../../helpers/envTables';
import { REPO_ROOT, readText, repoFiles } from '../../helpers/repoDocs';

/**
 * The environment-variable tables of README.md and docs/ are checked against the readers in common/config/, the
 * way the Terraform tables are checked against variables.tf: every variable a reader reads is documented in exactly
 * one table of its program's documentation, and every documented variable is read by that program.
 */

/** The transfer Lambda is documented in docs/historical-feed.md; every other table documents the consumer. */
const TRANSFER_DOC = 'docs/historical-feed.md';
const TRANSFER_READERS = ['readTransferConfig'];

/**
 * Variables documented in a table but read outside common/config/ (platform or image level), with a file that reads
 * them. Issue 13 moves process.env reads into common/config/; once a reader reads one of these, it leaves this list.
 */
const READ_ELSEWHERE: Record<string, string> = {
  LOG_LEVEL: 'common/logging/logger.ts',
  CONSUMER_MODE: 'docker/entrypoint.sh',
};

interface Program {
  name: string;
  read: Set<string>;
  rows: EnvRow[];
}

function programs(): Program[] {
  const readers = configReaders();
  const readBy = (names: string[]): Set<string> => new Set(names.flatMap((n) => [...variablesRead(readers.get(n)!)]));
  const docs = repoFiles().filter((f) => f === 'README.md' || (f.startsWith('docs/') && f.endsWith('.md')));
  const rows = docs.flatMap((file) => envRows(file, readText(file) ?? ''));
  return [
    {
      name: 'transfer',
      read: readBy(TRANSFER_READERS),
      rows: rows.filter((r) => r.file === TRANSFER_DOC),
    },
    {
      name: 'consumer',
      read: readBy([...readers.keys()].filter((n) => !TRANSFER_READERS.includes(n))),
      rows: rows.filter((r) => r.file !== TRANSFER_DOC),
    },
  ];
}

const where = (r: EnvRow): string => `${r.file}:${r.line}`;

describe('environment-variable tables', () => {
  const all = programs();

  it.each(all.map((p) => [p.name, p] as const))(
    '%s: every variable its readers read is documented in exactly one row',
    (_, program) => {
      // Act
      const problems = [...program.read].sort().flatMap((name) => {
        const rows = program.rows.filter((r) => r.names.includes(name));
        if (rows.length === 1) return [];
        return [
          `${name}: ${rows.length === 0 ? 'undocumented' : `documented ${rows.length} times (${rows.map(where).join(', ')})`}`,
        ];
      });
      // Assess
      expect(program.read.size).toBeGreaterThan(15);
      expect(problems).toEqual([]);
    },
  );

  it.each(all.map((p) => [p.name, p] as const))(
    '%s: every documented variable is read by its readers or by a known file',
    (_, program) => {
      // Act
      const unread = program.rows.flatMap((row) =>
        row.names.filter((n) => !program.read.has(n) && !(n in READ_ELSEWHERE)).map((n) => `${n} (${where(row)})`),
      );
      const empty = program.rows.filter((r) => r.names.length === 0).map(where);
      // Assess
      expect(unread).toEqual([]);
      expect(empty).toEqual([]);
    },
  );

  it("the defaults a table states are the readers' defaults", () => {
    // Prepare
    const defaults = readerDefaults();
    // Act
    const compared: string[] = [];
    const wrong = all.flatMap((program) =>
      program.rows.flatMap((row) => {
        const parts = row.names.length === 1 ? [row.defaults] : row.defaults.split(/\s*(?:,|;|\/)\s+/);
        if (parts.length !== row.names.length) return [];
        return row.names.flatMap((name, i) => {
          const expected = defaults.get(name);
          const stated = documentedDefault(name, parts[i]!);
          if (expected === undefined || stated === undefined) return [];
          compared.push(name);
          return stated === expected ? [] : [`${name} (${where(row)}): table says ${stated}, reader has ${expected}`];
        });
      }),
    );
    // Assess
    expect(compared.length).toBeGreaterThan(30);
    expect(wrong).toEqual([]);
  });

  it('variables read outside common/config/ are still read there, and by no config reader', () => {
    // Prepare
    const read = new Set(all.flatMap((p) => [...p.read]));
    // Act
    const stale = Object.entries(READ_ELSEWHERE)
      .filter(([name, file]) => read.has(name) || !readFileSync(join(REPO_ROOT, file), 'utf8').includes(name))
      .map(([name]) => name);
    // Assess
    expect(stale).toEqual([]);
  });

  it('the checks see a reader fallback, a table row and a name the readers do not know', () => {
    // Prepare
    const reader = (env: Record<string, string | undefined>) => ({
      region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'],
      extra: env['A_SET'] ? env['ONLY_WHEN_SET'] : undefined,
    });
    const md = [
      '| Variable | Default | Meaning |',
      '|---|---|---|',
      '| `AWS_REGION` / `AWS_DEFAULT_REGION` | – | region |',
      '| `NOT_READ`, credentials | `default` | … |',
      '',
      '| Option | Default |',
      '|---|---|',
      '| `NOT_A_VARIABLE` | 1 |',
    ].join('\n');
    // Act
    const read = variablesRead(reader);
    const rows = envRows('x.md', md);
    // Assess
    expect([...read].sort()).toEqual(['AWS_DEFAULT_REGION', 'AWS_REGION', 'A_SET', 'ONLY_WHEN_SET']);
    expect(documentedDefault('X_MS', '24 h')).toBe(86_400_000);
    expect(documentedDefault('X_MS', '900000 (15 min)')).toBe(900_000);
    expect(documentedDefault('X_HOURS', '`168` (7 days)')).toBe(168);
    expect(documentedDefault('X', 'true')).toBe(true);
    expect(documentedDefault('X', '`polling`')).toBe('polling');
    expect(documentedDefault('X', 'SDK default chain')).toBeUndefined();
    expect(rows).toEqual([
      { file: 'x.md', line: 3, names: ['AWS_REGION', 'AWS_DEFAULT_REGION'], defaults: '–' },
      { file: 'x.md', line: 4, names: ['NOT_READ'], defaults: '`default`' },
    ]);
  });
});
