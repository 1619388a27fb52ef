import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run kcl:jars` (scripts/kcl-jars.js): Maven resolves kcl/pom.xml, every jar is checked against kcl/jars.lock.
 * Runs the real Maven (its local repository makes repeated resolutions fast); a missing mvn fails with one line.
 */
const ROOT = join(__dirname, '../../..');
const LOCK = join(ROOT, 'kcl', 'jars.lock');

function kclJars(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'kcl-jars.js'), ...args], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('kcl:jars', () => {
  beforeAll(() => {
    if (spawnSync('mvn', ['--version']).error) throw new Error('mvn (Apache Maven) is missing: apt-get install maven');
  });

  test('the lock pins one KCL 3 multilang jar and every jar by SHA-256', () => {
    const lines = readFileSync(LOCK, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(50);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{64} {2}[A-Za-z0-9._+-]+\.jar$/);
    expect(lines.filter((l) => /amazon-kinesis-client-multilang-3\.\d+\.\d+\.jar$/.test(l))).toHaveLength(1);
  });

  test('resolves exactly the locked jars into the directory, and a second run leaves them alone', () => {
    // Prepare
    const dir = join(mkdtempSync(join(tmpdir(), 'kcl-jars-')), 'jars');
    // Act
    const first = kclJars(['--dir', dir]);
    const second = kclJars(['--dir', dir]);
    // Assess
    expect(first).toMatchObject({ status: 0 });
    const locked = readFileSync(LOCK, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.slice(66));
    expect(readdirSync(dir).sort()).toEqual(locked.sort());
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('locked jars already in');
  }, 180000);

  test('a resolution that differs from the lock fails, names every difference and installs nothing', () => {
    // Prepare: a lock with one hash changed, one jar missing and one jar that Maven does not resolve
    const work = mkdtempSync(join(tmpdir(), 'kcl-lock-'));
    const [changed, dropped, ...rest] = readFileSync(LOCK, 'utf8').trim().split('\n');
    const tampered = join(work, 'jars.lock');
    writeFileSync(
      tampered,
      [`${'0'.repeat(64)}${changed!.slice(64)}`, ...rest, `${'1'.repeat(64)}  not-resolved-1.0.jar`].join('\n') + '\n',
    );
    const dir = join(work, 'jars');
    // Act
    const r = kclJars(['--dir', dir, '--lock', tampered]);
    // Assess
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`SHA-256 differs from the lock: ${changed!.slice(66)}`);
    expect(r.stderr).toContain(`not in the lock: ${dropped!.slice(66)}`);
    expect(r.stderr).toContain('locked but not resolved: not-resolved-1.0.jar');
    expect(existsSync(dir)).toBe(false);
  }, 180000);
});
