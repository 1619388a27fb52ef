#!/usr/bin/env node
/**
 * `npm run kcl:jars`: the KCL MultiLangDaemon's classpath, resolved by Maven from kcl/pom.xml and checked against
 * kcl/jars.lock (one `sha256  file` line per jar, the format of `sha256sum`). Fails loudly, naming each jar, when the
 * resolution adds a jar, lacks one or differs; installs nothing then. Idempotent: a directory that already holds exactly
 * the locked jars is left alone (and Maven is not run).
 *   --dir DIR      where the jars go (default .kcl/jars, the default of KCL_JAR_DIR)
 *   --update-lock  rewrite the lock from a fresh resolution (after changing the version in the pom); review the diff
 *   --lock FILE    another lock file (tests)
 * Standard library only: it runs in the image's jar stage and before node_modules exists.
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const pom = path.join(root, 'kcl', 'pom.xml');

function parseArgs(argv) {
  const options = {
    dir: path.join(root, '.kcl', 'jars'),
    lock: path.join(root, 'kcl', 'jars.lock'),
    updateLock: false,
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir') options.dir = path.resolve(argv[++i] ?? fail('--dir needs a directory'));
    else if (argv[i] === '--lock') options.lock = path.resolve(argv[++i] ?? fail('--lock needs a file'));
    else if (argv[i] === '--update-lock') options.updateLock = true;
    else fail(`unknown argument ${argv[i]}`);
  }
  return options;
}

function fail(message) {
  process.stderr.write(`kcl-jars: ${message}\n`);
  process.exit(1);
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** file name -> sha256 of every .jar in dir (an absent dir is empty). */
function hashJars(dir) {
  if (!fs.existsSync(dir)) return new Map();
  const jars = fs.readdirSync(dir).filter((name) => name.endsWith('.jar'));
  return new Map(jars.sort().map((name) => [name, sha256(path.join(dir, name))]));
}

function readLock(lockFile) {
  if (!fs.existsSync(lockFile)) fail(`${path.relative(root, lockFile)} is missing (run with --update-lock once)`);
  const locked = new Map();
  for (const line of fs.readFileSync(lockFile, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const match = /^([0-9a-f]{64}) {2}([A-Za-z0-9._+-]+\.jar)$/.exec(line);
    if (!match) fail(`malformed line in ${path.relative(root, lockFile)}: ${JSON.stringify(line)}`);
    locked.set(match[2], match[1]);
  }
  return locked;
}

const formatLock = (jars) => [...jars].map(([name, hash]) => `${hash}  ${name}`).join('\n') + '\n';

/** Every way `actual` differs from `locked`, one line each. */
function differences(locked, actual) {
  const problems = [];
  for (const [name, hash] of actual) {
    if (!locked.has(name)) problems.push(`not in the lock: ${name}`);
    else if (locked.get(name) !== hash) problems.push(`SHA-256 differs from the lock: ${name} (${hash})`);
  }
  for (const name of locked.keys()) if (!actual.has(name)) problems.push(`locked but not resolved: ${name}`);
  return problems;
}

function resolveWithMaven(outputDir) {
  try {
    execFileSync(
      'mvn',
      ['-B', '-q', '-Dstyle.color=never', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${outputDir}`],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
  } catch (error) {
    if (error.code === 'ENOENT') fail('mvn (Apache Maven) is not installed: it resolves the KCL jars');
    fail(`Maven could not resolve ${path.relative(root, pom)} (exit ${error.status})`);
  }
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const locked = options.updateLock ? new Map() : readLock(options.lock);
  if (!options.updateLock && differences(locked, hashJars(options.dir)).length === 0) {
    process.stderr.write(`kcl-jars: ${locked.size} locked jars already in ${options.dir}\n`);
    return;
  }
  fs.mkdirSync(path.dirname(options.dir), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(options.dir) + path.sep, '.kcl-jars-'));
  try {
    resolveWithMaven(staging);
    const resolved = hashJars(staging);
    if (options.updateLock) {
      fs.writeFileSync(options.lock, formatLock(resolved));
      process.stderr.write(`kcl-jars: wrote ${resolved.size} jars to ${path.relative(root, options.lock)}\n`);
    } else {
      const problems = differences(locked, resolved);
      if (problems.length > 0)
        fail(`the resolved jars do not match ${path.relative(root, options.lock)}:\n  ${problems.join('\n  ')}`);
    }
    fs.rmSync(options.dir, { recursive: true, force: true });
    fs.renameSync(staging, options.dir);
    process.stderr.write(`kcl-jars: ${resolved.size} jars in ${options.dir}\n`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

main();
