import { agentQueueStatistics } from '../../../../processors/statistics/src/agentQueueStatistics';
import { intervalStart } from '../../../../processors/statistics/src/intervalStart';
import { LatestPerContact } from '../../../../processors/statistics/src/LatestPerContact';
import { queueStatistics } from '../../../../processors/statistics/src/queueStatistics';
import { ctrRecord } from '../../../helpers/ctrRecords';

const OPTIONS = { intervalMinutes: 15, slaSeconds: 20, shortAbandonSeconds: 5 };
const answered = (id: string, queueId: string, enqueue: string, waited: number, talk: number, acw: number) =>
  ctrRecord({
    contactId: id,
    queueId,
    enqueueTimestamp: enqueue,
    queueDuration: waited,
    talkSeconds: talk,
    acwSeconds: acw,
    connectedToAgentTimestamp: enqueue,
  });
const abandoned = (id: string, queueId: string, enqueue: string, waited: number) =>
  ctrRecord({
    contactId: id,
    queueId,
    enqueueTimestamp: enqueue,
    queueDuration: waited,
    connectedToAgentTimestamp: null,
  });

describe('queueStatistics (Teleopti queue_logg from CTRs)', () => {
  it('counts per queue and 15-minute interval of the enqueue time, with strict (<) thresholds', () => {
    // Prepare
    const records = [
      ctrRecord({
        contactId: 'A',
        queueId: 'q1',
        enqueueTimestamp: '2026-01-05T10:01:00Z',
        connectedToAgentTimestamp: '2026-01-05T10:01:10Z',
        queueDuration: 10,
        talkSeconds: 100,
        acwSeconds: 20,
        transferredTo: '+4670000',
        transferCompletedTimestamp: '2026-01-05T10:04:00Z',
      }),
      answered('B', 'q1', '2026-01-05T10:14:59Z', 20, 50, 5),
      abandoned('C', 'q1', '2026-01-05T10:05:00Z', 4),
      abandoned('D', 'q1', '2026-01-05T10:10:00Z', 20),
      abandoned('E', 'q1', '2026-01-05T10:15:00Z', 30),
      answered('F', 'q2', '2026-01-05T10:02:00Z', 19, 239, 5),
      ctrRecord({ contactId: 'G' }, { Queue: null }),
    ];

    // Act
    const rows = queueStatistics(records, OPTIONS);

    // Assess
    expect(rows).toEqual([
      {
        interval_start: '2026-01-05T10:00:00Z',
        queue_id: 'q1',
        talking_call_dur: 150,
        wrap_up_dur: 25,
        overflow_in_call_cnt: 1,
        overflow_out_call_cnt: 1,
        answ_call_cnt: 2,
        aband_call_cnt: 2,
        queued_and_answ_call_dur: 30,
        queued_and_aband_call_dur: 24,
        queued_answ_longest_que_dur: 20,
        queued_aband_longest_que_dur: 20,
        ans_servicelevel_cnt: 1,
        aband_short_call_cnt: 1,
        aband_within_sl_cnt: 1,
      },
      expect.objectContaining({
        interval_start: '2026-01-05T10:00:00Z',
        queue_id: 'q2',
        answ_call_cnt: 1,
        ans_servicelevel_cnt: 1,
      }),
      expect.objectContaining({
        interval_start: '2026-01-05T10:15:00Z',
        queue_id: 'q1',
        aband_call_cnt: 1,
        queued_and_aband_call_dur: 30,
        queued_aband_longest_que_dur: 30,
        aband_within_sl_cnt: 0,
        answ_call_cnt: 0,
      }),
    ]);
  });

  it('honours the interval length, SLA and short-abandon options', () => {
    const records = [abandoned('a', 'q', '2026-01-05T10:50:00Z', 9), abandoned('b', 'q', '2026-01-05T10:05:00Z', 30)];
    const [row] = queueStatistics(records, { intervalMinutes: 60, slaSeconds: 10, shortAbandonSeconds: 10 });
    expect(row).toMatchObject({
      interval_start: '2026-01-05T10:00:00Z',
      aband_call_cnt: 2,
      aband_short_call_cnt: 1,
      aband_within_sl_cnt: 1,
    });
  });

  it('counts a re-delivered contact once, with its latest version', () => {
    const latest = new LatestPerContact();
    latest.add(
      ctrRecord({ contactId: 'x', queueId: 'q', lastUpdateTimestamp: '2026-01-07T00:00:00Z', queueDuration: 50 }),
    );
    latest.add(
      ctrRecord({ contactId: 'x', queueId: 'q', lastUpdateTimestamp: '2026-01-06T00:00:00Z', queueDuration: 10 }),
    );
    const rows = queueStatistics(latest.records(), OPTIONS);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ answ_call_cnt: 1, queued_and_answ_call_dur: 50 });
  });
});

describe('agentQueueStatistics (Teleopti agent_logg from CTRs)', () => {
  it('sums per agent, queue and interval of the connection to the agent; abandoned contacts have no agent row', () => {
    const rows = agentQueueStatistics(
      [
        answered('1', 'q1', '2026-01-05T10:01:00Z', 3, 100, 10),
        ctrRecord({
          contactId: '2',
          queueId: 'q1',
          connectedToAgentTimestamp: '2026-01-05T10:14:00Z',
          talkSeconds: 20,
          acwSeconds: 1,
          transferCompletedTimestamp: '2026-01-05T10:20:00Z',
        }),
        abandoned('3', 'q1', '2026-01-05T10:02:00Z', 30),
      ],
      15,
    );
    expect(rows).toEqual([
      {
        interval_start: '2026-01-05T10:00:00Z',
        queue_id: 'q1',
        agent_username: 'Steve.Lusk',
        talking_call_dur: 120,
        wrap_up_dur: 11,
        answ_call_cnt: 2,
        transfer_out_call_cnt: 1,
      },
    ]);
  });
});

describe('intervalStart', () => {
  it('floors to the interval in UTC and prints ISO 8601 with Z', () => {
    expect(intervalStart('2026-01-05T10:29:59Z', 15)).toBe('2026-01-05T10:15:00Z');
    expect(intervalStart('2026-01-05T12:29:59.999+02:00', 30)).toBe('2026-01-05T10:00:00Z');
    expect(intervalStart(null, 15)).toBeNull();
    expect(intervalStart('not a time', 15)).toBeNull();
  });
});
