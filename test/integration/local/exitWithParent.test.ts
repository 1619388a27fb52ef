import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { eventually, killLeftovers, processesWithMarker, REPO_ROOT } from './stackProcess';

/**
 * The local stack's children end themselves when the stack process is killed. The hard case is a child that starts
 * slowly (as on a loaded machine): its parent is already gone before the child's own code runs. A preload that
 * blocks the child's start-up for 1.5 s makes that ordering certain instead of a matter of luck.
 */
describe('a local stack child whose parent dies before the child has started', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cwfm-orphan-'));
  const marker = randomUUID();
  afterAll(() => {
    killLeftovers(marker);
    rmSync(dir, { recursive: true, force: true });
  });

  it('still notices that its parent is gone and exits', async () => {
    // Prepare: a supervisor that starts a child through ServiceProcess and is SIGKILLed as soon as it is spawned
    const slowStart = join(dir, 'slow-start.cjs');
    writeFileSync(slowStart, 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);\n');
    const service = join(dir, 'service.cjs');
    writeFileSync(service, 'setInterval(() => undefined, 1000);\n');
    const supervisor = join(dir, 'supervisor.cjs');
    buildSync({
      stdin: {
        contents: `
          const { ServiceProcess } = require(${JSON.stringify(join(REPO_ROOT, 'local/emulators/serviceProcess.ts'))});
          void ServiceProcess.start({
            name: 'service', command: ${JSON.stringify(service)}, logFile: ${JSON.stringify(join(dir, 'service.log'))},
            env: { NODE_OPTIONS: '--require ${slowStart}' },
            ready: async () => { process.kill(process.pid, 'SIGKILL'); return true; },
          });`,
        resolveDir: REPO_ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: supervisor,
      logLevel: 'error',
    });

    // Act
    const parent = spawn(process.execPath, [supervisor], {
      env: { ...process.env, CONNECT_WFM_TEST_MARKER: marker },
      stdio: 'ignore',
    });
    const [, signal] = (await once(parent, 'exit')) as [number | null, string | null];

    // Assess: the supervisor died first; its orphan started afterwards and still ended itself
    expect(signal).toBe('SIGKILL');
    const orphan = await eventually(
      async () => processesWithMarker(marker).find((p) => p.cmdline.includes('service.cjs')),
      10000,
      'the orphaned child to appear',
    );
    expect(orphan.cmdline).toContain('--import data:text/javascript');
    await eventually(
      async () => (processesWithMarker(marker).length === 0 ? true : undefined),
      12000,
      'the orphan to exit',
    );
  }, 40000);
});
