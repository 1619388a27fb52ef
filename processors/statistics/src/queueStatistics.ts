import { arnId } from '../../transfer/src/ctr/csvLayout';
import type { CtrRecord } from '../../transfer/src/ctr/ctrRecord';
import { intervalStart } from './intervalStart';

/**
 * Teleopti `queue_logg` fields that the data mapping (docs/reference/connect-formats.md#queue-statistics) can fill from
 * CTRs.
 */
export const QUEUE_STATISTICS_FIELDS = [
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
] as const;

export type QueueStatisticsField = (typeof QUEUE_STATISTICS_FIELDS)[number];

export interface QueueStatisticsRow extends Record<QueueStatisticsField, number> {
  interval_start: string;
  queue_id: string;
}

export interface StatisticsOptions {
  intervalMinutes: number;
  /** Service level threshold: a queue time strictly below it is within the service level. */
  slaSeconds: number;
  /** Abandons with a queue time strictly below it are short abandons (Teleopti default 5). */
  shortAbandonSeconds: number;
}

/** Answered: the contact reached an agent (Agent.ConnectedToAgentTimestamp is set). */
export const isAnswered = (r: CtrRecord): boolean => Boolean(r.agent?.connectedToAgentTimestamp);

/**
 * Per queue and interval. A contact counts in the interval of its Queue.EnqueueTimestamp (when it was offered to the
 * queue; InitiationTimestamp if that is missing); contacts that were never queued have no queue_id and are left out.
 * Abandoned = queued and not answered (AWS's definition). Every interpretation: docs/historical-feed.md.
 */
export function queueStatistics(records: Iterable<CtrRecord>, o: StatisticsOptions): QueueStatisticsRow[] {
  const rows = new Map<string, QueueStatisticsRow>();
  for (const r of records) {
    const queueId = arnId(r.queue?.arn);
    const start = intervalStart(r.queue?.enqueueTimestamp ?? r.initiationTimestamp, o.intervalMinutes);
    if (!r.queue || !queueId || !start) continue;
    const key = `${start}|${queueId}`;
    let row = rows.get(key);
    if (!row) {
      row = { interval_start: start, queue_id: queueId, ...zeros() };
      rows.set(key, row);
    }
    const waited = r.queue.duration;
    if (r.transferredToEndpointAddress !== null) row.overflow_in_call_cnt++;
    if (r.transferCompletedTimestamp !== null) row.overflow_out_call_cnt++;
    if (isAnswered(r)) {
      row.answ_call_cnt++;
      row.talking_call_dur += r.agent?.agentInteractionDuration ?? 0;
      row.wrap_up_dur += r.agent?.afterContactWorkDuration ?? 0;
      if (waited !== null) {
        row.queued_and_answ_call_dur += waited;
        row.queued_answ_longest_que_dur = Math.max(row.queued_answ_longest_que_dur, waited);
        if (waited < o.slaSeconds) row.ans_servicelevel_cnt++;
      }
    } else {
      row.aband_call_cnt++;
      if (waited !== null) {
        row.queued_and_aband_call_dur += waited;
        row.queued_aband_longest_que_dur = Math.max(row.queued_aband_longest_que_dur, waited);
        if (waited < o.shortAbandonSeconds) row.aband_short_call_cnt++;
        if (waited < o.slaSeconds) row.aband_within_sl_cnt++;
      }
    }
  }
  return [...rows.values()].sort((a, b) =>
    a.interval_start < b.interval_start
      ? -1
      : a.interval_start > b.interval_start
        ? 1
        : a.queue_id < b.queue_id
          ? -1
          : 1,
  );
}

const zeros = (): Record<QueueStatisticsField, number> =>
  Object.fromEntries(QUEUE_STATISTICS_FIELDS.map((f) => [f, 0])) as Record<QueueStatisticsField, number>;
