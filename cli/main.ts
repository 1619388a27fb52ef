#!/usr/bin/env node
/**
 * `connect-wfm <command> [options]`: one program, one subcommand per file in ./commands.
 * Output meant for people or pipes goes to stdout, except in `kcl-processor`, where stdout is the MultiLang protocol.
 */
import 'reflect-metadata';
import { errorMessage } from '../common/errors';
import type { Command } from './command';
import { aggregateCommand } from './commands/aggregate';
import { ctr2csvCommand } from './commands/ctr2csv';
import { consumeCommand } from './commands/consume';
import { kclDaemonCommand } from './commands/kclDaemon';
import { kclProcessorCommand } from './commands/kclProcessor';
import { kclPropertiesCommand } from './commands/kclProperties';
import { shardMonitorCommand } from './commands/shardMonitor';
import { replayCommand } from './commands/replay';
import { simulateCommand } from './commands/simulate';
import { startCommand } from './commands/start';
import { doctorCommand } from './commands/doctor';

const COMMANDS: readonly Command[] = [
  replayCommand,
  simulateCommand,
  startCommand,
  doctorCommand,
  kclDaemonCommand,
  kclProcessorCommand,
  consumeCommand,
  kclPropertiesCommand,
  shardMonitorCommand,
  ctr2csvCommand,
  aggregateCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: connect-wfm <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from environment variables (see README.md).',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`connect-wfm: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`connect-wfm: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);
