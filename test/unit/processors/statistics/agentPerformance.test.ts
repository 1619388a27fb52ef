import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentPerformance, seconds } from '../../../../processors/statistics/src/agentPerformance';
import { parseCsv } from '../../../../processors/statistics/src/parseCsv';

const REPORT = join(
  __dirname,
  '..',
  '..',
  '..',
  'fixtures',
  'events',
  'reports',
  'synthetic-teleopti-agent-performance.csv',
);

describe('agentPerformance (Teleopti agent performance from the scheduled report)', () => {
  it('splits 30-minute rows into 15-minute rows whose parts add up exactly, keeping no-data cells empty', () => {
    // Act
    const rows = agentPerformance(parseCsv(readFileSync(REPORT, 'utf8')), 15);

    // Assess
    const at = (start: string, agent: string) =>
      rows.find((r) => r.interval_start === start && r.agent_username === agent);
    expect(rows).toHaveLength(8);
    expect(at('2026-01-05T09:00:00Z', 'steve.lusk')).toEqual({
      interval_start: '2026-01-05T09:00:00Z',
      agent_username: 'steve.lusk',
      tot_work_dur: 900,
      pause_dur: 150,
      avail_dur: 750,
      wait_dur: 301,
    });
    expect(at('2026-01-05T09:15:00Z', 'steve.lusk')).toMatchObject({
      tot_work_dur: 900,
      pause_dur: 150,
      avail_dur: 750,
      wait_dur: 300,
    });
    expect(at('2026-01-05T09:30:00Z', 'steve.lusk')).toMatchObject({ pause_dur: 151, avail_dur: 750, wait_dur: 300 });
    expect(at('2026-01-05T09:45:00Z', 'steve.lusk')).toMatchObject({ pause_dur: 150, avail_dur: 749 });
    expect(at('2026-01-05T09:00:00Z', 'oberg, asa')).toMatchObject({
      tot_work_dur: 601,
      avail_dur: 601,
      wait_dur: null,
    });
    expect(at('2026-01-05T09:45:00Z', 'oberg, asa')).toMatchObject({
      tot_work_dur: null,
      pause_dur: null,
      avail_dur: null,
    });
    expect(rows[0]!.agent_username).toBe('oberg, asa');
  });

  it('keeps 30-minute rows at 30 minutes and sums them for hourly intervals', () => {
    const table = parseCsv(readFileSync(REPORT, 'utf8'));
    expect(agentPerformance(table, 30).find((r) => r.agent_username === 'steve.lusk')).toMatchObject({
      tot_work_dur: 1800,
      wait_dur: 601,
    });
    expect(agentPerformance(table, 60).find((r) => r.agent_username === 'steve.lusk')).toMatchObject({
      interval_start: '2026-01-05T09:00:00Z',
      tot_work_dur: 3600,
      pause_dur: 601,
      avail_dur: 2999,
      wait_dur: 1201,
    });
  });

  it('finds columns by name whatever the case, spacing and order, and names a missing one', () => {
    const table = [
      ['online_TIME', 'agent', 'NON-PRODUCTIVE TIME', 'Agent Idle Time', 'startinterval'],
      ['60', 'a', '30', '10', '2026-01-05T09:00:00Z'],
    ];
    expect(agentPerformance(table, 30)).toEqual([
      {
        interval_start: '2026-01-05T09:00:00Z',
        agent_username: 'a',
        tot_work_dur: 60,
        pause_dur: 30,
        avail_dur: 30,
        wait_dur: 10,
      },
    ]);
    expect(() => agentPerformance([['StartInterval', 'Agent']], 15)).toThrow(/onlinetime/);
  });

  it('reads seconds, hh:mm:ss, - and empty', () => {
    expect([seconds('90'), seconds('01:02:03'), seconds('-'), seconds(''), seconds('12.4')]).toEqual([
      90,
      3723,
      null,
      null,
      12,
    ]);
    expect(() => seconds('abc')).toThrow();
  });
});
