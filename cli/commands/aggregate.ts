import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../common/errors';
import { CtrStreamParser, type CtrItem } from '../../processors/transfer/src/ctr/CtrStreamParser';
import { readCtrFile } from '../../processors/transfer/src/ctr/readCtrFile';
import { agentPerformance, AGENT_PERFORMANCE_FIELDS } from '../../processors/statistics/src/agentPerformance';
import {
  agentQueueStatistics,
  AGENT_QUEUE_STATISTICS_FIELDS,
} from '../../processors/statistics/src/agentQueueStatistics';
import { LatestPerContact } from '../../processors/statistics/src/LatestPerContact';
import { parseCsv } from '../../processors/statistics/src/parseCsv';
import { queueStatistics, QUEUE_STATISTICS_FIELDS } from '../../processors/statistics/src/queueStatistics';
import { statisticsCsv } from '../../processors/statistics/src/statisticsCsv';
import type { Command } from '../command';

const TABLES = ['queue', 'agent-queue', 'agent-performance'] as const;
const USAGE = [
  'usage: connect-wfm aggregate --input CTR_FILE... [--table queue|agent-queue] [options]',
  '       connect-wfm aggregate --report REPORT_CSV --table agent-performance [options]',
  'options: --interval-minutes N (15)  --sla-seconds N (20)  --short-abandon-seconds N (5)  --output FILE',
].join('\n');

/**
 * Teleopti's interval statistics from the same data the feed delivers
 * (docs/reference/connect-formats.md#teleopti-data-mapping): `queue` (queue_logg fields per queue and interval),
 * `agent-queue` (agent_logg fields per agent, queue and interval) from CTR files, and `agent-performance` from Amazon
 * Connect's scheduled report. Re-deliveries count once (the latest LastUpdateTimestamp per ContactId). Interpretations:
 * docs/historical-feed.md.
 */
export const aggregateCommand: Command = {
  name: 'aggregate',
  summary: "aggregate --input CTR_FILE | --report CSV: Teleopti's queue / agent statistics per interval as CSV",
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        input: { type: 'string', short: 'i', multiple: true },
        report: { type: 'string' },
        table: { type: 'string', default: 'queue' },
        'interval-minutes': { type: 'string', default: '15' },
        'sla-seconds': { type: 'string', default: '20' },
        'short-abandon-seconds': { type: 'string', default: '5' },
        output: { type: 'string', short: 'o' },
      },
    });
    const table = values.table as (typeof TABLES)[number];
    const intervalMinutes = wholeNumber(values['interval-minutes']);
    const slaSeconds = wholeNumber(values['sla-seconds']);
    const shortAbandonSeconds = wholeNumber(values['short-abandon-seconds']);
    const needsCtr = table !== 'agent-performance';
    if (
      !TABLES.includes(table) ||
      intervalMinutes === null ||
      intervalMinutes < 1 ||
      1440 % intervalMinutes !== 0 ||
      slaSeconds === null ||
      shortAbandonSeconds === null ||
      (needsCtr ? !values.input?.length : !values.report)
    ) {
      process.stderr.write(USAGE + '\n');
      return 2;
    }
    try {
      let csv: string;
      let invalid = 0;
      if (table === 'agent-performance') {
        const rows = agentPerformance(parseCsv(readFileSync(values.report!, 'utf8')), intervalMinutes);
        csv = statisticsCsv(['interval_start', 'agent_username', ...AGENT_PERFORMANCE_FIELDS], rows);
      } else {
        const latest = new LatestPerContact();
        for (const file of values.input!) invalid += await collect(file, latest);
        csv =
          table === 'queue'
            ? statisticsCsv(
                ['interval_start', 'queue_id', ...QUEUE_STATISTICS_FIELDS],
                queueStatistics(latest.records(), { intervalMinutes, slaSeconds, shortAbandonSeconds }),
              )
            : statisticsCsv(
                ['interval_start', 'queue_id', 'agent_username', ...AGENT_QUEUE_STATISTICS_FIELDS],
                agentQueueStatistics(latest.records(), intervalMinutes),
              );
        process.stderr.write(`aggregate: ${latest.size} contacts, ${invalid} invalid records left out\n`);
      }
      if (values.output) writeFileSync(values.output, csv);
      else process.stdout.write(csv);
      return invalid > 0 ? 1 : 0;
    } catch (e) {
      process.stderr.write(`aggregate: ${errorMessage(e)}\n`);
      return 1;
    }
  },
};

async function collect(file: string, latest: LatestPerContact): Promise<number> {
  const parser = new CtrStreamParser();
  const items: CtrItem[] = [];
  let invalid = 0;
  const take = (): void => {
    for (const item of items) {
      if (item.kind === 'record') latest.add(item.record);
      else {
        invalid++;
        process.stderr.write(`aggregate: ${file} byte ${item.offset}: ${item.reason}\n`);
      }
    }
    items.length = 0;
  };
  for await (const chunk of readCtrFile(file)) {
    parser.push(chunk, items);
    take();
  }
  parser.end(items);
  take();
  return invalid;
}

const wholeNumber = (v: string | undefined): number | null => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);
