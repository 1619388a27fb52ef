import { parseArgs } from 'node:util';
import { processEnv } from '../../common/config/env';
import { formatResult } from '../../doctor/src/CheckResult';
import { exitCodeOf, runDoctor } from '../../doctor/src/runDoctor';
import type { Command } from '../command';

const HELP = `usage: connect-wfm doctor [--strict] [--timeout SECONDS]

Checks the configuration (environment variables) and every connection the deployment needs, one line each:
PASS, FAIL (with the remedy) or SKIP (not configured here, and why). Nothing is changed: the WFM probe sends an
empty non-snapshot batch, the SFTP probe file is removed again. Exit code 0 when nothing failed (--strict: and
nothing was skipped).
`;

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the configuration and every connection (Kinesis, DynamoDB, WFM RTA, SFTP, Secrets Manager)',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        strict: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '20' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const seconds = Number(values.timeout);
    const results = await runDoctor(processEnv(), { timeoutMillis: (seconds > 0 ? seconds : 20) * 1000 });
    for (const r of results) process.stdout.write(formatResult(r) + '\n');
    return exitCodeOf(results, values.strict);
  },
};
