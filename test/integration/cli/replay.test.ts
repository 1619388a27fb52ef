import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { agentEvent } from '../../helpers/agentEvents';
import { buildCli } from '../../helpers/buildCli';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'events', 'agent-events');

async function replay(
  input: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [buildCli(), 'replay', '--input', input], {
    env: { ...process.env, RTA_WINDOW_MS: '100', RTA_RETRY_BASE_MS: '10', RTA_RETRY_MAX_MS: '50', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr, stdout };
}

describe('connect-wfm replay', () => {
  let receiver: RtaReceiver;
  beforeEach(async () => {
    receiver = await RtaReceiver.start({ authKey: 'k', sourceIds: ['src'] });
  });
  afterEach(() => receiver.stop());

  it('replays the real 11-event sequence (a JSON array) and ends with the agent logged out, exit 0', async () => {
    const result = await replay(join(FIXTURES, 'extra', 'aspect-full-sequence-TestDataRecordData.derived.json'), {
      WFM_RTA_URL: receiver.url,
      WFM_AUTH_KEY: 'k',
      WFM_SOURCE_ID: 'src',
    });
    expect(result.code).toBe(0);
    expect(receiver.currentStates()).toEqual(new Map([['christy.burkholder', 'LOGGED_OUT']]));
    expect(result.stderr).toContain('11 events, 0 malformed');
    expect(result.stdout).toBe('');
  });

  it('replays JSON lines with a malformed line and a single pretty-printed event file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const lines = join(dir, 'events.jsonl');
    writeFileSync(
      lines,
      [agentEvent({ agent: 1, status: 'Available' }), 'garbage', agentEvent({ agent: 2, status: 'Lunch' })]
        .map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))
        .join('\n') + '\n',
    );
    const env = { WFM_RTA_URL: receiver.url, WFM_AUTH_KEY: 'k', WFM_SOURCE_ID: 'src' };
    const a = await replay(lines, env);
    const b = await replay(join(FIXTURES, '02-state-change-available-to-break.json'), env);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stderr).toContain('3 events, 1 malformed');
    expect(receiver.currentStates()).toEqual(
      new Map([
        ['agent.1', 'Available'],
        ['agent.2', 'Lunch'],
        ['christy.burkholder', 'Break'],
      ]),
    );
  });

  it('exits 1 with Teleopti’s message when the key is rejected, without printing the key', async () => {
    const result = await replay(join(FIXTURES, '02-state-change-available-to-break.json'), {
      WFM_RTA_URL: receiver.url,
      WFM_AUTH_KEY: 'not-the-key',
      WFM_SOURCE_ID: 'src',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid authentication key');
    expect(result.stderr).not.toContain('not-the-key');
  });

  it('refuses plain HTTP and a missing key for a non-local WFM before sending anything', async () => {
    const result = await replay(join(FIXTURES, '02-state-change-available-to-break.json'), {
      WFM_RTA_URL: 'http://wfm.example.com/TeleoptiWFM/Web',
      WFM_AUTH_KEY: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/WFM_RTA_URL: must use https/);
    expect(result.stderr).toMatch(/WFM_AUTH_KEY: is required/);
  });
});
