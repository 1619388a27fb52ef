import { intervalStart } from './intervalStart';

export const AGENT_PERFORMANCE_FIELDS = ['tot_work_dur', 'pause_dur', 'avail_dur', 'wait_dur'] as const;

export interface AgentPerformanceRow extends Record<(typeof AGENT_PERFORMANCE_FIELDS)[number], number | null> {
  interval_start: string;
  agent_username: string;
}

/** Report rows are matched by header name, case-, space- and underscore-insensitively (the exact header is unconfirmed). */
const norm = (h: string): string => h.toLowerCase().replace(/[\s_-]+/g, '');
const COLUMNS = {
  start: ['startinterval', 'intervalstart', 'interval'],
  end: ['endinterval', 'intervalend'],
  agent: ['agent', 'agentlogin', 'agentusername', 'username'],
  online: ['onlinetime'],
  npt: ['nonproductivetime'],
  idle: ['agentidletime'],
};

export class ReportFormatError extends Error {}

/**
 * Teleopti agent performance (docs/reference/connect-formats.md#agent-performance) from the scheduled report:
 * tot_work_dur = Online time, pause_dur = Non-Productive Time, avail_dur = Online − Non-Productive (never negative),
 * wait_dur = Agent idle time. The report's 30-minute rows are split into `intervalMinutes` pieces (15 → two rows), each
 * duration divided evenly in whole seconds, the remainder going to the earliest pieces so the pieces add up exactly;
 * for a longer target interval, rows are summed. `-` or an empty cell is "no data" and stays empty.
 */
export function agentPerformance(table: string[][], intervalMinutes: number): AgentPerformanceRow[] {
  const [header, ...rows] = table;
  if (!header) return [];
  const names = header.map(norm);
  const col = (aliases: string[], required: boolean): number => {
    const i = names.findIndex((n) => aliases.includes(n));
    if (i < 0 && required)
      throw new ReportFormatError(`report has no ${aliases[0]} column (header: ${header.join(',')})`);
    return i;
  };
  const c = {
    start: col(COLUMNS.start, true),
    end: col(COLUMNS.end, false),
    agent: col(COLUMNS.agent, true),
    online: col(COLUMNS.online, true),
    npt: col(COLUMNS.npt, true),
    idle: col(COLUMNS.idle, true),
  };
  const out = new Map<string, AgentPerformanceRow>();
  for (const r of rows) {
    const startText = r[c.start] ?? '';
    const start = Date.parse(startText);
    if (Number.isNaN(start)) throw new ReportFormatError(`bad interval start: ${startText}`);
    const end = c.end >= 0 ? Date.parse(r[c.end] ?? '') : NaN;
    const sourceMinutes = Number.isNaN(end) ? 30 : Math.round((end - start) / 60000);
    const online = seconds(r[c.online]);
    const npt = seconds(r[c.npt]);
    const idle = seconds(r[c.idle]);
    const avail = online === null ? null : Math.max(0, online - (npt ?? 0));
    const pieces = sourceMinutes > intervalMinutes ? sourceMinutes / intervalMinutes : 1;
    if (!Number.isInteger(pieces))
      throw new ReportFormatError(`${intervalMinutes}-minute intervals do not divide the report's ${sourceMinutes}`);
    for (let p = 0; p < pieces; p++) {
      const at = intervalStart(new Date(start + p * intervalMinutes * 60000).toISOString(), intervalMinutes)!;
      const agent = r[c.agent] ?? '';
      const key = `${at}|${agent}`;
      const row = out.get(key) ?? {
        interval_start: at,
        agent_username: agent,
        tot_work_dur: null,
        pause_dur: null,
        avail_dur: null,
        wait_dur: null,
      };
      row.tot_work_dur = add(row.tot_work_dur, share(online, pieces, p));
      row.pause_dur = add(row.pause_dur, share(npt, pieces, p));
      row.avail_dur = add(row.avail_dur, share(avail, pieces, p));
      row.wait_dur = add(row.wait_dur, share(idle, pieces, p));
      out.set(key, row);
    }
  }
  const k = (r: AgentPerformanceRow): string => `${r.interval_start}|${r.agent_username}`;
  return [...out.values()].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

/** Whole seconds from `123`, `123.0` or `hh:mm:ss`; null for `-` or empty. */
export function seconds(cell: string | undefined): number | null {
  const v = (cell ?? '').trim();
  if (v === '' || v === '-') return null;
  const hms = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(v);
  if (hms) return Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3]);
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new ReportFormatError(`not a duration: ${v}`);
  return Math.round(n);
}

/** Piece `p` of `pieces` of a whole-second total: the remainder goes to the earliest pieces. */
function share(total: number | null, pieces: number, p: number): number | null {
  if (total === null) return null;
  const base = Math.floor(total / pieces);
  return base + (p < total % pieces ? 1 : 0);
}

const add = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);
