#!/usr/bin/env node
/**
 * The consumer's lean entry point: `node dist/consumer/src/main.js kcl-daemon|kcl-processor|consume|shard-monitor`. Same
 * commands as `connect-wfm kcl-daemon|kcl-processor|consume|shard-monitor`, without loading the rest of the CLI (SFTP, S3, simulator): the
 * MultiLangDaemon runs one child per shard, so every megabyte of a child counts once per lease.
 */
import 'reflect-metadata';
import type { Command } from '../../common/command';

/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Command> = {
  'kcl-daemon': () => (require('./commands/kclDaemon') as typeof import('./commands/kclDaemon')).kclDaemonCommand,
  'kcl-processor': () =>
    (require('./commands/kclProcessor') as typeof import('./commands/kclProcessor')).kclProcessorCommand,
  consume: () => (require('./commands/consume') as typeof import('./commands/consume')).consumeCommand,
  'shard-monitor': () =>
    (require('./commands/shardMonitor') as typeof import('./commands/shardMonitor')).shardMonitorCommand,
};

const [name, ...args] = process.argv.slice(2);
const load = name ? COMMANDS[name] : undefined;
if (!load) {
  process.stderr.write(`usage: node dist/consumer/src/main.js ${Object.keys(COMMANDS).join('|')}\n`);
  process.exitCode = 2;
} else {
  load()
    .run(args)
    .then(
      (code) => (process.exitCode = code),
      (error: unknown) => {
        process.stderr.write(`connect-wfm: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
