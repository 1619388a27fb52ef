import { arnId } from '../../transfer/src/ctr/csvLayout';
import type { CtrRecord } from '../../transfer/src/ctr/ctrRecord';
import { intervalStart } from './intervalStart';
import { isAnswered } from './queueStatistics';

/**
 * Teleopti `agent_logg` fields the mapping fills from CTRs (docs/reference/connect-formats.md#agent-queue-statistics).
 */
export const AGENT_QUEUE_STATISTICS_FIELDS = [
  'talking_call_dur',
  'wrap_up_dur',
  'answ_call_cnt',
  'transfer_out_call_cnt',
] as const;

export interface AgentQueueStatisticsRow extends Record<(typeof AGENT_QUEUE_STATISTICS_FIELDS)[number], number> {
  interval_start: string;
  queue_id: string;
  /** Teleopti identifies agents by the Connect username (docs/reference/connect-formats.md#teleopti-data-mapping). */
  agent_username: string;
}

/**
 * Per interval, queue and agent, for answered contacts only (a contact with no agent has no agent row). A contact
 * counts in the interval in which it was connected to the agent (Agent.ConnectedToAgentTimestamp).
 */
export function agentQueueStatistics(records: Iterable<CtrRecord>, intervalMinutes: number): AgentQueueStatisticsRow[] {
  const rows = new Map<string, AgentQueueStatisticsRow>();
  for (const r of records) {
    if (!isAnswered(r) || !r.agent) continue;
    const start = intervalStart(r.agent.connectedToAgentTimestamp, intervalMinutes);
    const queueId = arnId(r.queue?.arn) ?? '';
    const agent = r.agent.username ?? arnId(r.agent.arn) ?? '';
    if (!start) continue;
    const key = `${start}|${queueId}|${agent}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        interval_start: start,
        queue_id: queueId,
        agent_username: agent,
        talking_call_dur: 0,
        wrap_up_dur: 0,
        answ_call_cnt: 0,
        transfer_out_call_cnt: 0,
      };
      rows.set(key, row);
    }
    row.answ_call_cnt++;
    row.talking_call_dur += r.agent.agentInteractionDuration ?? 0;
    row.wrap_up_dur += r.agent.afterContactWorkDuration ?? 0;
    if (r.transferCompletedTimestamp !== null) row.transfer_out_call_cnt++;
  }
  const k = (r: AgentQueueStatisticsRow): string => `${r.interval_start}|${r.queue_id}|${r.agent_username}`;
  return [...rows.values()].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}
