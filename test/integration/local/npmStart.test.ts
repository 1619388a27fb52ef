import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BoardData } from '../../../local/board/BoardServer';
import {
  eventually,
  interrupt,
  killLeftovers,
  processesWithMarker,
  REPO_ROOT,
  startStack,
  stepBudget,
} from './stackProcess';

// One `npm start` from a clean state, driven like a person would: wait for the board, check both feeds, Ctrl-C.
describe('npm start (the embedded local stack)', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'cwfm-start-'));
  const marker = randomUUID();
  const stack = startStack(['--state-dir', stateDir, '--board-port', '0', '--rta-port', '0', '--agents', '12'], marker);

  afterAll(async () => {
    await interrupt(stack, 5000).catch(() => undefined);
    killLeftovers(marker);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('delivers agent states to the RTA receiver and CSV files to the SFTP server, passes doctor, then stops leaving nothing behind', async () => {
    // Prepare: one budget for every step, inside jest's 180 s, so a step that stalls fails under its own name
    const budget = stepBudget(170000, stack);
    const board = await budget.step('the board URL', stack.boardUrl);

    // Act: wait until both feeds have produced something
    const withStates = await budget.step(
      'agent states and a CSV file',
      eventually(
        async () => {
          const response = await fetch(`${board}api/board`, { signal: AbortSignal.timeout(10000) });
          const data = (await response.json()) as BoardData;
          return data.agents.length >= 6 && data.files.length >= 1 ? data : undefined;
        },
        budget.left(),
        `agent states and a CSV file (stdout so far:\n${stack.stdout()})`,
      ),
    );
    const running = processesWithMarker(marker).map((p) => p.cmdline);
    const doctor = spawnSync(
      process.execPath,
      [`--env-file=${join(stateDir, 'doctor.env')}`, 'dist/cli/main.js', 'doctor'],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: budget.left(),
      },
    );
    const code = await budget.step('the stack to stop on Ctrl-C', interrupt(stack, budget.left()));

    // Assess: states as the receiver holds them, CSV files as delivered over SFTP
    expect(withStates.agents.every((a) => a.userCode.includes('.') && a.stateCode.length > 0)).toBe(true);
    const uploaded = readdirSync(join(stateDir, 'sftp', 'upload')).filter((f) => f.endsWith('.csv'));
    expect(uploaded.length).toBeGreaterThanOrEqual(1);
    const csv = readFileSync(join(stateDir, 'sftp', 'upload', uploaded[0]!), 'utf8').split('\r\n');
    expect(csv[0]).toMatch(/^Agent_ARN,Agent_AfterContactWorkDuration,/);
    expect(csv.filter((l) => l !== '').length).toBeGreaterThanOrEqual(2);

    // Assess: doctor, run with the settings the stack wrote, passes every check against it
    const lines = doctor.stdout.trim().split('\n');
    expect(doctor.error).toBeUndefined(); // e.g. ETIMEDOUT: doctor still running when the budget ran out
    expect(lines.filter((l) => l.startsWith('PASS')).length).toBeGreaterThanOrEqual(6);
    expect(lines.every((l) => /^(PASS|SKIP) /.test(l))).toBe(true);
    expect(lines.some((l) => /^PASS {2}amazon connect/.test(l))).toBe(true);
    expect(doctor.status).toBe(0);

    // Assess: the consumer began with the simulated instance's Connect snapshot (logged at warn level here: the
    // simulation starts once the consumer is up, so at that moment nobody is logged in yet)
    const consumerLog = readFileSync(join(stateDir, 'logs', 'consumer.log'), 'utf8');
    expect(consumerLog).toContain('Amazon Connect reports no logged-in agent');
    expect(consumerLog).not.toContain('could not read current agent states from Amazon Connect');

    // Assess: Ctrl-C ends it cleanly, and no process of the tree (npm, node, kinesis-mock, consumer) survives
    expect(running).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/main\.js start/),
        expect.stringMatching(/kinesis-local\/main\.js/),
        expect.stringMatching(/main\.js consume/),
      ]),
    );
    expect([0, 'SIGINT']).toContain(code);
    expect(stack.stdout()).toMatch(
      /connect-wfm: stopped\. \d+ agent events sent, [1-9]\d* posts .* [1-9]\d* CSV files delivered/,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(processesWithMarker(marker)).toEqual([]);
  }, 180000);
});
