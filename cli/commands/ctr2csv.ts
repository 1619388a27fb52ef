import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../common/errors';
import {
  convertCtrStream,
  type InvalidCtr,
  newConversionStats,
} from '../../processors/transfer/src/ctr/convertCtrStream';
import { CSV_LAYOUTS, type CsvLayout } from '../../processors/transfer/src/ctr/csvLayout';
import { readCtrFile } from '../../processors/transfer/src/ctr/readCtrFile';
import { CompactDeduplicator } from '../../processors/transfer/src/dedup/CompactDeduplicator';
import { NoDeduplication } from '../../processors/transfer/src/dedup/NoDeduplication';
import type { Command } from '../command';

const USAGE =
  'usage: connect-wfm ctr2csv --input FILE [--output FILE] [--layout standard|extended] [--keep-duplicates] [--quarantine FILE]';

/**
 * The Lambda's converter on a local file: a Firehose CTR object (concatenated JSON, plain or gzip) to the Teleopti
 * CSV. Re-deliveries of a contact with unchanged exported fields are left out, as in the Lambda, unless
 * --keep-duplicates. Records that are not CTRs are reported on stderr (and written to --quarantine); the exit code is
 * then 1, with every good record still converted.
 */
export const ctr2csvCommand: Command = {
  name: 'ctr2csv',
  summary:
    'ctr2csv --input FILE [--output FILE]: convert a Firehose CTR file to the Teleopti CSV (the Lambda converter)',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        input: { type: 'string', short: 'i' },
        output: { type: 'string', short: 'o' },
        layout: { type: 'string', default: 'standard' },
        'keep-duplicates': { type: 'boolean', default: false },
        quarantine: { type: 'string' },
      },
    });
    const layout = values.layout as CsvLayout;
    if (!values.input || !CSV_LAYOUTS.includes(layout)) {
      process.stderr.write(USAGE + '\n');
      return 2;
    }
    const invalid: InvalidCtr[] = [];
    const stats = newConversionStats();
    const dedup = values['keep-duplicates'] ? new NoDeduplication() : new CompactDeduplicator(layout);
    const csv = Readable.from(
      convertCtrStream(
        readCtrFile(values.input),
        {
          layout,
          deduplicator: dedup,
          onInvalid: (item) => {
            invalid.push(item);
            process.stderr.write(`ctr2csv: byte ${item.offset}: ${item.reason} (${item.text.length} bytes)\n`);
          },
        },
        stats,
      ),
    );
    // A file appears complete or not at all: written to NAME.part, renamed at the end.
    const part = values.output ? `${values.output}.part` : null;
    try {
      const sink: Writable = part ? createWriteStream(part) : process.stdout;
      if (part) await pipeline(csv, sink);
      else {
        for await (const chunk of csv) if (!sink.write(chunk)) await once(sink, 'drain');
      }
      if (part && values.output) renameSync(part, values.output);
    } catch (e) {
      if (part) rmSync(part, { force: true });
      process.stderr.write(`ctr2csv: ${errorMessage(e)}\n`);
      return 1;
    }
    if (values.quarantine && invalid.length > 0)
      writeFileSync(values.quarantine, Buffer.concat(invalid.flatMap((i) => [i.text, Buffer.from('\n')])));
    process.stderr.write(
      `ctr2csv: ${stats.records} records, ${stats.rows} rows, ${dedup.skipped} duplicates left out, ${stats.invalid} invalid` +
        ` (${stats.invalidUtf8} for invalid UTF-8), ${stats.controlCharsReplaced} control characters replaced\n`,
    );
    return invalid.length > 0 ? 1 : 0;
  },
};
