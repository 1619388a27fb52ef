import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, killLeftovers, processesWithMarker, startStack } from './stackProcess';

describe('connect-wfm start killed with SIGKILL', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'cwfm-killed-'));
  const marker = randomUUID();
  afterAll(() => {
    killLeftovers(marker);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('leaves no child behind: kinesis-mock and the consumer notice their parent is gone and exit', async () => {
    // Prepare: `npm start`, then find the stack process itself
    startStack(['--state-dir', stateDir, '--board-port', '0', '--rta-port', '0', '--agents', '5'], marker);
    const tree = await eventually(
      async () => {
        const found = processesWithMarker(marker);
        return found.some((p) => /kinesis-local/.test(p.cmdline)) && found.some((p) => / consume/.test(p.cmdline))
          ? found
          : undefined;
      },
      90000,
      'kinesis-mock and the consumer to start',
    );
    const stackProcess = tree.find((p) => /^\S*node \S*main\.js start/.test(p.cmdline)); // not npm, not sh -c

    // Act: only the stack process dies, without any chance to clean up
    process.kill(stackProcess!.pid, 'SIGKILL');

    // Assess
    expect(tree.filter((p) => /kinesis-local|main\.js consume/.test(p.cmdline))).toHaveLength(2);
    await eventually(
      async () => (processesWithMarker(marker).length === 0 ? true : undefined),
      20000,
      'the children to exit',
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(processesWithMarker(marker))}`);
    });
    expect(processesWithMarker(marker)).toEqual([]);
  }, 120000);
});
