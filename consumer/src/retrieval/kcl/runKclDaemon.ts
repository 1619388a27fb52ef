import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { KclDaemonConfig } from '../../../../common/config/loadConfig';
import { ConfigError } from '../../../../common/errors';
import type { Logger } from '../../../../common/logging/logger';
import { buildKclProperties } from './kclProperties';

export const MULTILANG_DAEMON_CLASS = 'software.amazon.kinesis.multilang.MultiLangDaemon';

export interface KclDaemonRun {
  config: KclDaemonConfig;
  workerId: string;
  logger: Logger;
  /** Where the generated properties are written (regenerated at every start). */
  propertiesFile: string;
  /** The child command; default: this build's lean consumer entry (kclProperties.ts). */
  executableName?: string;
  /** For tests: the java launcher. */
  java?: string;
}

/**
 * KCL mode's worker: writes the MultiLangDaemon's properties from the validated configuration and runs the daemon in
 * the foreground (`java -cp KCL_JAR_DIR/* … MultiLangDaemon`), forwarding SIGTERM/SIGINT to it. The daemon then asks
 * every record processor to shut down (shutdownRequested: flush, deliver, checkpoint) and exits. Resolves with the
 * exit code to use: 0 after a shutdown we forwarded (the JVM reports 143 for SIGTERM), else the daemon's own.
 */
export async function runKclDaemon(run: KclDaemonRun): Promise<number> {
  const { config, logger } = run;
  const jarDir = resolve(config.kcl.jarDir);
  checkJars(jarDir);
  const logConfiguration = config.kcl.logConfiguration ?? bundledLogConfiguration();
  await writeFile(
    run.propertiesFile,
    buildKclProperties({
      kinesis: config.kinesis,
      checkpoint: config.checkpoint,
      ops: config.ops,
      kcl: config.kcl,
      workerId: run.workerId,
      executableName: run.executableName,
    }),
  );
  const args = [
    ...config.kcl.javaOptions,
    '-cp',
    // The properties file's directory is on the classpath too, as the daemon's documentation runs it.
    `${jarDir}/*:${dirname(resolve(run.propertiesFile))}`,
    MULTILANG_DAEMON_CLASS,
    '--properties-file',
    run.propertiesFile,
    '--log-configuration',
    logConfiguration,
  ];
  logger.info('starting the KCL MultiLangDaemon', { workerId: run.workerId, jarDir });
  const daemon = spawn(run.java ?? 'java', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  return supervise(daemon, logger);
}

async function supervise(daemon: ChildProcess, logger: Logger): Promise<number> {
  let forwarded: NodeJS.Signals | undefined;
  const forward = (signal: NodeJS.Signals) => {
    forwarded = signal;
    logger.info(`forwarding ${signal} to the MultiLangDaemon`);
    daemon.kill(signal);
  };
  const signals = ['SIGTERM', 'SIGINT'] as const;
  for (const signal of signals) process.on(signal, forward);
  try {
    const exit = once(daemon, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const failed = once(daemon, 'error').then(([error]) => {
      throw (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? new ConfigError('java was not found: KCL mode needs a Java 17 runtime on the PATH')
        : error;
    });
    const [code, signal] = await Promise.race([exit, failed]);
    logger.info('the MultiLangDaemon exited', { code, signal });
    if (forwarded && (signal === forwarded || code === 128 + signalNumber(forwarded))) return 0;
    return code ?? 128 + signalNumber(signal ?? 'SIGKILL');
  } finally {
    for (const signal of signals) process.off(signal, forward);
  }
}

const signalNumber = (signal: NodeJS.Signals): number => constants.signals[signal];

/** One line that says what to do, instead of a ClassNotFoundException from the JVM. */
function checkJars(jarDir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(jarDir);
  } catch {
    // reported below
  }
  if (!names.some((name) => /^amazon-kinesis-client-multilang-.*\.jar$/.test(name)))
    throw new ConfigError(
      `KCL_JAR_DIR ${jarDir} holds no amazon-kinesis-client-multilang jar: run \`npm run kcl:jars\` (the image has them in /opt/kcl/jars)`,
    );
}

/** docker/logback.xml of this package, found from here both in the sources and in dist/. */
function bundledLogConfiguration(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'docker', 'logback.xml');
    if (existsSync(candidate)) return candidate;
  }
  throw new ConfigError('docker/logback.xml was not found: set KCL_LOG_CONFIGURATION');
}
