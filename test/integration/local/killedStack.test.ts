import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, processesWithMarker, REPO_ROOT } from './stackProcess';

describe('connect-wfm start killed with SIGKILL', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'cwfm-killed-'));
  const marker = randomUUID();
  afterAll(() => {
    for (const p of processesWithMarker(marker)) process.kill(p.pid, 'SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('leaves no child behind: kinesis-mock and the consumer notice their parent is gone and exit', async () => {
    // Prepare: the stack process alone (no npm), so only it receives the signal
    const stack = spawn(
      process.execPath,
      ['dist/cli/main.js', 'start', '--state-dir', stateDir, '--board-port', '0', '--rta-port', '0', '--agents', '5'],
      { cwd: REPO_ROOT, env: { ...process.env, CONNECT_WFM_TEST_MARKER: marker }, stdio: 'ignore' },
    );
    const children = await eventually(
      async () => {
        const found = processesWithMarker(marker).filter((p) => p.pid !== stack.pid);
        return found.some((p) => /kinesis-local/.test(p.cmdline)) && found.some((p) => / consume/.test(p.cmdline))
          ? found
          : undefined;
      },
      60000,
      'kinesis-mock and the consumer to start',
    );

    // Act
    stack.kill('SIGKILL');

    // Assess
    expect(children.length).toBeGreaterThanOrEqual(2);
    await eventually(
      async () => (processesWithMarker(marker).length === 0 ? true : undefined),
      15000,
      'the children to exit',
    );
    expect(processesWithMarker(marker)).toEqual([]);
  }, 90000);
});
