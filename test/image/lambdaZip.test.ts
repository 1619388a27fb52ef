import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PODMAN_RUN, podman, requireTools } from '../harness/podman';
import { IMAGE_TOOLS, standInBase } from './imageBuild';

/**
 * The transfer Lambda's artifact as the Terraform README builds it (`npm run build:lambda`, then zip the folder), in the
 * same tier as the image: its size, and its handler loading in a plain Node.js 22 process (the stand-in base's node,
 * the newest 22.x) that sees nothing but the zip's content: no node_modules, no network.
 */
const ROOT = join(__dirname, '..', '..');
const exec = promisify(execFile);
/** Lambda refuses a directly uploaded zip over 50 MB; the budget catches a dependency bundled by mistake long before. */
const LAMBDA_LIMIT_BYTES = 50 * 1024 * 1024;
const BUDGET_BYTES = 5 * 1024 * 1024;

let dir: string;
beforeAll(() => {
  requireTools([...IMAGE_TOOLS, 'zip', 'unzip']);
  dir = mkdtempSync(join(tmpdir(), 'cwfm-lambda-zip-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the transfer Lambda zip', () => {
  it(
    'is within its size budget, and its handler loads in Node.js 22 from the zip alone',
    async () => {
      // Prepare
      const base = await standInBase();
      await exec('npm', ['run', '--silent', 'build:lambda'], { cwd: ROOT });
      const zip = join(dir, 'transfer.zip');
      await exec('zip', ['-qr', zip, '.'], { cwd: join(ROOT, 'dist-lambda', 'transfer') });
      const task = join(dir, 'task');
      mkdirSync(task);
      await exec('unzip', ['-q', zip, '-d', task]);
      const probe = [
        "const m = require('/var/task/index.js');",
        "if (typeof m.handler !== 'function') throw new Error('index.handler is not a function');",
        'process.stdout.write(process.version);',
      ].join(' ');
      // Act
      const { stdout } = await podman([
        ...PODMAN_RUN.map((a) => (a === 'host' ? 'none' : a)),
        ...['--rm', '--read-only', '--user', '1000:1000', '--workdir', '/var/task'],
        ...['--volume', `${task}:/var/task:ro`, '--env', 'NODE_PATH=', base],
        ...['node', '-e', probe],
      ]);
      const size = statSync(zip).size;
      process.stderr.write(`\ntransfer Lambda zip: ${(size / 1024 / 1024).toFixed(2)} MB (node ${stdout})\n`);
      // Assess
      expect(stdout).toMatch(/^v22\.\d+\.\d+$/);
      expect(size).toBeLessThanOrEqual(BUDGET_BYTES);
      expect(size).toBeLessThan(LAMBDA_LIMIT_BYTES);
    },
    15 * 60_000,
  );
});
