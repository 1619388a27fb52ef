#!/usr/bin/env node
/**
 * Runs before `npm start` / `npm test` (as prestart/pretest), so it may only use Node's standard library:
 * node_modules may not exist yet. It installs what is missing and nothing else.
 *   --system  also the Debian packages the test tiers need (a JRE for DynamoDB Local and the KCL daemon, OpenSSH for
 *             SFTP, shellcheck, Chromium for the browser test, Maven for the KCL jars); installed with apt-get when
 *             running as root, else a clear message; then the KCL jars (`npm run kcl:jars`).
 */
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
const has = (cmd) => {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore', shell: '/bin/bash' });
    return true;
  } catch {
    return false;
  }
};

const lock = path.join(root, 'package-lock.json');
const installedLock = path.join(root, 'node_modules', '.package-lock.json');
const stale = !fs.existsSync(installedLock) || fs.statSync(lock).mtimeMs > fs.statSync(installedLock).mtimeMs + 1000;
if (stale) {
  process.stderr.write('connect-wfm: installing npm packages (npm ci)…\n');
  run('npm ci --no-audit --no-fund');
} else if (buildIsStale()) {
  // `npm start` runs dist/: after a pull or an edit, rebuild first. A failing build keeps the previous dist.
  // One build at a time (two `npm start`s, parallel tests): the others wait, then find dist fresh.
  withBuildLock(() => {
    if (!buildIsStale()) return;
    try {
      run('npm run build');
    } catch {
      process.stderr.write('connect-wfm: the build failed (see above); running the previous build\n');
    }
  });
}

function withBuildLock(work) {
  const lockDir = path.join(root, 'node_modules', '.connect-wfm-build.lock');
  const deadline = Date.now() + 180000;
  let locked = false;
  while (!locked) {
    try {
      fs.mkdirSync(lockDir);
      locked = true;
    } catch {
      // A lock older than 5 minutes was left by a killed build.
      try {
        if (Date.now() - fs.statSync(lockDir).mtimeMs > 300000) fs.rmdirSync(lockDir);
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    work();
  } finally {
    if (locked) fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** True when dist/cli/main.js is missing or older than any TypeScript source. */
function buildIsStale() {
  const entry = path.join(root, 'dist', 'cli', 'main.js');
  if (!fs.existsSync(entry)) return true;
  const built = fs.statSync(entry).mtimeMs;
  const dirs = ['cli', 'common', 'consumer', 'processors', 'simulator', 'local', 'doctor', 'types'];
  const newer = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return e.name !== 'node_modules' && newer(p);
      return e.name.endsWith('.ts') && fs.statSync(p).mtimeMs > built;
    });
  };
  return dirs.some((d) => newer(path.join(root, d)));
}

if (process.argv.includes('--system')) {
  const wanted = [
    ['java', 'openjdk-17-jre-headless'],
    ['/usr/sbin/sshd', 'openssh-server'],
    ['shellcheck', 'shellcheck'],
    ['chromium', 'chromium'],
    ['mvn', 'maven'],
  ].filter(([cmd]) => !(cmd.startsWith('/') ? fs.existsSync(cmd) : has(cmd)));
  if (wanted.length > 0) {
    const pkgs = wanted.map(([, pkg]) => pkg).join(' ');
    if (process.getuid && process.getuid() === 0) {
      process.stderr.write(`connect-wfm: installing Debian packages: ${pkgs}\n`);
      run('apt-get update -qq');
      run(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${pkgs}`);
    } else {
      process.stderr.write(
        `connect-wfm: missing Debian packages (${pkgs}); install them with: sudo apt-get install ${pkgs}\n`,
      );
    }
  }
  // The KCL MultiLangDaemon's jars (Maven, checked against kcl/jars.lock); a no-op when they are in place.
  if (has('mvn')) run('node scripts/kcl-jars.js');
}
