import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { aggregateCommand } from '../../../cli/commands/aggregate';
import { ctr2csvCommand } from '../../../cli/commands/ctr2csv';
import { concatenated, ctrFactory } from '../../helpers/ctrFactory';
import { parseCsv } from '../../helpers/ctrCsv';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'events');

describe('connect-wfm ctr2csv and aggregate', () => {
  let dir: string;
  let stderr: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cwfm-cli-'));
    stderr = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ctr2csv converts the concatenated sample, leaving out the unchanged re-deliveries', async () => {
    const output = join(dir, 'out.csv');
    const code = await ctr2csvCommand.run([
      '--input',
      join(FIXTURES, 'ctr', 'derived-firehose-style-concatenated.txt'),
      '--output',
      output,
    ]);
    expect(code).toBe(0);
    expect(parseCsv(readFileSync(output, 'utf8'))).toHaveLength(2);
    expect(stderr.join('')).toContain('3 records, 1 rows, 2 duplicates left out, 0 invalid');
    expect(existsSync(output + '.part')).toBe(false);
  });

  it('ctr2csv keeps duplicates on request, reads gzip, and exits 1 with the bad record quarantined', async () => {
    const input = join(dir, 'in.gz');
    const bad = '{"ContactId":"x",';
    writeFileSync(
      input,
      gzipSync(concatenated([ctrFactory({ contactId: 'a' }), ctrFactory({ contactId: 'a' })]) + bad),
    );
    const output = join(dir, 'out.csv');
    const quarantine = join(dir, 'bad.txt');
    const code = await ctr2csvCommand.run([
      '--input',
      input,
      '--output',
      output,
      '--keep-duplicates',
      '--quarantine',
      quarantine,
      '--layout',
      'extended',
    ]);
    expect(code).toBe(1);
    const rows = parseCsv(readFileSync(output, 'utf8'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveLength(19);
    expect(readFileSync(quarantine, 'utf8')).toBe(bad + '\n');
  });

  it('ctr2csv rejects bad usage with exit code 2', async () => {
    expect(await ctr2csvCommand.run([])).toBe(2);
    expect(await ctr2csvCommand.run(['--input', 'x', '--layout', 'wide'])).toBe(2);
  });

  it('aggregate writes queue statistics with the documented header', async () => {
    const input = join(dir, 'ctr');
    writeFileSync(
      input,
      concatenated([
        ctrFactory({
          contactId: 'a',
          queueId: 'q1',
          enqueueTimestamp: '2026-01-05T10:01:00Z',
          queueDuration: 3,
          connectedToAgentTimestamp: '2026-01-05T10:01:03Z',
        }),
        ctrFactory({
          contactId: 'b',
          queueId: 'q1',
          enqueueTimestamp: '2026-01-05T10:20:00Z',
          queueDuration: 4,
          connectedToAgentTimestamp: null,
        }),
      ]),
    );
    const output = join(dir, 'queue.csv');
    const code = await aggregateCommand.run([
      '--input',
      input,
      '--output',
      output,
      '--interval-minutes',
      '30',
      '--sla-seconds',
      '4',
    ]);
    expect(code).toBe(0);
    const rows = parseCsv(readFileSync(output, 'utf8'));
    expect(rows[0]).toEqual([
      'interval_start',
      'queue_id',
      'talking_call_dur',
      'wrap_up_dur',
      'overflow_in_call_cnt',
      'overflow_out_call_cnt',
      'answ_call_cnt',
      'aband_call_cnt',
      'queued_and_answ_call_dur',
      'queued_and_aband_call_dur',
      'queued_answ_longest_que_dur',
      'queued_aband_longest_que_dur',
      'ans_servicelevel_cnt',
      'aband_short_call_cnt',
      'aband_within_sl_cnt',
    ]);
    expect(rows.slice(1)).toEqual([
      ['2026-01-05T10:00:00Z', 'q1', '239', '5', '0', '0', '1', '1', '3', '4', '3', '4', '1', '1', '0'],
    ]);
  });

  it('aggregate turns the scheduled report into 15-minute agent performance rows', async () => {
    const output = join(dir, 'agents.csv');
    const code = await aggregateCommand.run([
      '--report',
      join(FIXTURES, 'reports', 'synthetic-teleopti-agent-performance.csv'),
      '--table',
      'agent-performance',
      '--output',
      output,
    ]);
    expect(code).toBe(0);
    const rows = parseCsv(readFileSync(output, 'utf8'));
    expect(rows[0]).toEqual(['interval_start', 'agent_username', 'tot_work_dur', 'pause_dur', 'avail_dur', 'wait_dur']);
    expect(rows).toHaveLength(9);
    expect(rows[1]).toEqual(['2026-01-05T09:00:00Z', 'oberg, asa', '601', '0', '601', '']);
  });
});
