import { buildSync } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * Bundles the real CLI (cli/main.ts) into one JS file for tests that spawn it as a child, as the daemon would run
 * `node dist/cli/main.js kcl-processor`; esbuild takes about a second and does not depend on a prior `npm run build`.
 */
export function buildCli(): string {
  const root = join(__dirname, '..', '..');
  // Inside the repository so the bundle resolves the installed packages (kept external) from node_modules. One per
  // process (every test file of a jest worker reuses it), keyed by the pid and the process's start time: pids are
  // recycled (pid_max is 32768 here), and a later process must not pick up a bundle of older sources.
  const dir = join(
    root,
    'node_modules',
    '.cache',
    'connect-wfm-cli',
    `${process.pid}-${Math.round(performance.timeOrigin)}`,
  );
  const out = join(dir, 'main.js');
  try {
    if (statSync(out).isFile()) return out;
  } catch {
    // not built yet
  }
  mkdirSync(dir, { recursive: true });
  buildSync({
    entryPoints: [join(root, 'cli', 'main.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    outfile: out,
    sourcemap: 'inline',
    logLevel: 'error',
    tsconfig: join(root, 'tsconfig.json'),
  });
  return out;
}
