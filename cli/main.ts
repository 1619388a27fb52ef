#!/usr/bin/env node
/**
 * `connect-wfm <command> [options]`: one program, one subcommand per file in ./commands.
 * Output meant for people or pipes goes to stdout, except in `kcl-processor`, where stdout is the MultiLang protocol.
 */
import 'reflect-metadata';
import { errorMessage } from '../common/errors';
import { type Command, lazyCommand } from './command';

// One entry per command; its modules load only when it runs (see lazyCommand).
const COMMANDS: readonly Command[] = [
  lazyCommand(
    'replay',
    'replay --input FILE: send a file of agent events (JSON lines or a JSON array) through the pipeline to WFM',
    async () => (await import('./commands/replay')).replayCommand,
  ),
  lazyCommand(
    'simulate',
    'simulate an Amazon Connect instance: agent events to Kinesis/file, CTRs to S3/files',
    async () => (await import('./commands/simulate')).simulateCommand,
  ),
  lazyCommand(
    'start',
    'run everything locally (simulator, kinesis-mock, consumer, RTA receiver, S3->SFTP feed) with a live board',
    async () => (await import('./commands/start')).startCommand,
  ),
  lazyCommand(
    'doctor',
    'check the configuration and every connection (Kinesis, DynamoDB, WFM RTA, SFTP, Secrets Manager)',
    async () => (await import('./commands/doctor')).doctorCommand,
  ),
  lazyCommand(
    'kcl-daemon',
    'kcl-daemon [--executable CMD]: run the KCL MultiLangDaemon (jars from KCL_JAR_DIR) with a kcl-processor child per shard',
    async () => (await import('../consumer/src/commands/kclDaemon')).kclDaemonCommand,
  ),
  lazyCommand(
    'kcl-processor',
    'record processor child of the KCL MultiLangDaemon (speaks the MultiLang protocol on stdin/stdout)',
    async () => (await import('../consumer/src/commands/kclProcessor')).kclProcessorCommand,
  ),
  lazyCommand(
    'consume',
    'read every shard of the agent event stream in this process (direct mode) and deliver states to WFM',
    async () => (await import('../consumer/src/commands/consume')).consumeCommand,
  ),
  lazyCommand(
    'kcl-properties',
    'kcl-properties [--output FILE] [--executable CMD]: write the KCL MultiLangDaemon properties from the environment',
    async () => (await import('./commands/kclProperties')).kclPropertiesCommand,
  ),
  lazyCommand(
    'shard-monitor',
    "KCL mode: publish OpenShardCount; serve the task's /healthz and /metrics from the kcl-processor children",
    async () => (await import('../consumer/src/commands/shardMonitor')).shardMonitorCommand,
  ),
  lazyCommand(
    'ctr2csv',
    'ctr2csv --input FILE [--output FILE]: convert a Firehose CTR file to the Teleopti CSV (the Lambda converter)',
    async () => (await import('./commands/ctr2csv')).ctr2csvCommand,
  ),
  lazyCommand(
    'aggregate',
    "aggregate --input CTR_FILE | --report CSV: Teleopti's queue / agent statistics per interval as CSV",
    async () => (await import('./commands/aggregate')).aggregateCommand,
  ),
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
