import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every shell script in the repository (by extension or shebang) is shellcheck clean. CI installs shellcheck. */

const ROOT = join(__dirname, '../../..');
const SKIP = new Set(['node_modules', '.git', 'dist', 'dist-lambda', 'coverage', 'reports', '.state', '.terraform']);

export function shellScripts(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) shellScripts(path, out);
    else if (name.endsWith('.sh') || name.endsWith('.bash')) out.push(path);
    else if (st.size > 2 && st.size < 1_000_000 && !/\.(ts|js|json|md|tf|txt|csv|gz)$/.test(name)) {
      const head = readFileSync(path, 'utf8').slice(0, 64);
      if (
        /^#!\s*(\/usr\/bin\/env\s+)?(\/bin\/|\/usr\/bin\/)?(ba|da)?sh\b/.test(head) ||
        /^#!.*\benv\s+(ba|da)?sh\b/.test(head)
      )
        out.push(path);
    }
  }
  return out;
}

describe('shellcheck', () => {
  const scripts = shellScripts(ROOT);

  it('finds the repository scripts (entrypoint, CI entry)', () => {
    const names = scripts.map((p) => relative(ROOT, p));
    expect(names).toEqual(expect.arrayContaining(['docker/entrypoint.sh', '.ci/run']));
  });

  it('reports nothing on any of them', () => {
    const version = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    if (version.error) throw new Error('shellcheck is not installed: apt-get install -y shellcheck (CI installs it)');
    const r = spawnSync('shellcheck', ['--format=gcc', '--external-sources', ...scripts], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
