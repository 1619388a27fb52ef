#!/usr/bin/env node
/**
 * `connect-wfm <command> [options]`: one program, one subcommand per file in ./commands.
 * Output meant for people or pipes goes to stdout, except in `kcl-processor`, where stdout is the MultiLang protocol.
 */
import 'reflect-metadata';
import { errorMessage } from '../common/errors';
import type { Command } from './command';

/**
 * Each command is loaded only when it runs: loading all of them (AWS SDK clients, inversify, rxjs) cost about a second
 * and 55 MB before `ctr2csv` or `replay` read a byte. Listed in the order `usage` shows them.
 */
const COMMANDS: readonly (readonly [name: string, load: () => Promise<Command>])[] = [
  ['replay', async () => (await import('./commands/replay')).replayCommand],
  ['simulate', async () => (await import('./commands/simulate')).simulateCommand],
  ['start', async () => (await import('./commands/start')).startCommand],
  ['doctor', async () => (await import('./commands/doctor')).doctorCommand],
  ['kcl-daemon', async () => (await import('./commands/kclDaemon')).kclDaemonCommand],
  ['kcl-processor', async () => (await import('./commands/kclProcessor')).kclProcessorCommand],
  ['consume', async () => (await import('./commands/consume')).consumeCommand],
  ['kcl-properties', async () => (await import('./commands/kclProperties')).kclPropertiesCommand],
  ['shard-monitor', async () => (await import('./commands/shardMonitor')).shardMonitorCommand],
  ['ctr2csv', async () => (await import('./commands/ctr2csv')).ctr2csvCommand],
  ['aggregate', async () => (await import('./commands/aggregate')).aggregateCommand],
];

async function usage(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map(([, load]) => load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: connect-wfm <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from environment variables (see README.md).',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await usage()) + '\n');
    return name ? 0 : 2;
  }
  const entry = COMMANDS.find(([n]) => n === name);
  if (!entry) {
    process.stderr.write(`connect-wfm: unknown command '${name}'\n\n${await usage()}\n`);
    return 2;
  }
  const command = await entry[1]();
  if (command.name !== name) throw new Error(`command table names '${name}' but loads '${command.name}'`);
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
