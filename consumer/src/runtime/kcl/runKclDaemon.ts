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
  /** For tests: the java launcher, and the first restart delay (1 s). */
  java?: string;
  restartDelayMillis?: number;
  /** Leases without a checkpoint start here (AT_TIMESTAMP) rather than at now − lookback (a Connect snapshot's time). */
  initialTimestampMillis?: number;
}

/** A run shorter than this counts as a failed start; this many in a row and the worker gives up. */
const SHORT_RUN_MILLIS = 60000;
const MAX_SHORT_RUNS = 5;
const MAX_RESTART_DELAY_MILLIS = 60000;

/**
 * KCL mode's worker: writes the MultiLangDaemon's properties from the validated configuration and runs the daemon in
 * the foreground (`java -cp KCL_JAR_DIR/* … MultiLangDaemon`), forwarding SIGTERM/SIGINT to it. The daemon then asks
 * every record processor to shut down (shutdownRequested: flush, deliver, checkpoint) and exits. Resolves with the
 * exit code to use: 0 after a shutdown we forwarded (the JVM reports 143 for SIGTERM), else the daemon's own.
 *
 * The MultiLangDaemon ends its whole JVM (System.exit) when one child dies, taking every healthy shard down with it.
 * It is started again here, with the same workerId, so it picks up its own leases from their checkpoints at once
 * instead of waiting for another task to take them over (KCL 3 holds a dead leader's lock for 2 minutes). Back-off
 * doubles up to a minute; after MAX_SHORT_RUNS runs that each ended within a minute, the worker gives up and exits
 * with the daemon's code, so a task that cannot start fails visibly.
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
      initialTimestampMillis: run.initialTimestampMillis,
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
  const supervisor = new DaemonSupervisor(logger);
  try {
    const firstDelay = run.restartDelayMillis ?? 1000;
    for (let shortRuns = 0, delay = firstDelay; ;) {
      logger.info('starting the KCL MultiLangDaemon', { workerId: run.workerId, jarDir });
      const started = Date.now();
      const code = await supervisor.run(spawn(run.java ?? 'java', args, { stdio: ['ignore', 'inherit', 'inherit'] }));
      if (supervisor.stopping) return 0;
      shortRuns = Date.now() - started < SHORT_RUN_MILLIS ? shortRuns + 1 : 0;
      if (shortRuns >= MAX_SHORT_RUNS) {
        logger.error('the MultiLangDaemon keeps exiting shortly after its start; giving up', { code, shortRuns });
        return code;
      }
      delay = shortRuns <= 1 ? firstDelay : Math.min(delay * 2, MAX_RESTART_DELAY_MILLIS);
      logger.error('the MultiLangDaemon exited unasked (a record processor child died?); restarting it', {
        code,
        restartInMillis: delay,
      });
      if (await supervisor.sleep(delay)) return 0;
    }
  } finally {
    supervisor.close();
  }
}

/** Runs one daemon process at a time and turns SIGTERM/SIGINT into its orderly shutdown. */
class DaemonSupervisor {
  stopping = false;
  private daemon: ChildProcess | undefined;
  private wake: (() => void) | undefined;
  private readonly signals = ['SIGTERM', 'SIGINT'] as const;
  private readonly forward = (signal: NodeJS.Signals) => {
    this.stopping = true;
    this.logger.info(`forwarding ${signal} to the MultiLangDaemon`);
    this.daemon?.kill(signal);
    this.wake?.();
  };

  constructor(private readonly logger: Logger) {
    for (const signal of this.signals) process.on(signal, this.forward);
  }

  /** The exit code of the daemon: 128 + n for a signal, as a shell would report it. */
  async run(daemon: ChildProcess): Promise<number> {
    this.daemon = daemon;
    const exit = once(daemon, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const failed = once(daemon, 'error').then(([error]) => {
      throw (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? new ConfigError('java was not found: KCL mode needs a Java 17 runtime on the PATH')
        : error;
    });
    const [code, signal] = await Promise.race([exit, failed]);
    this.daemon = undefined;
    this.logger.info('the MultiLangDaemon exited', { code, signal });
    return code ?? 128 + constants.signals[signal ?? 'SIGKILL'];
  }

  /** Waits before a restart; true when a shutdown was asked for meanwhile. */
  async sleep(millis: number): Promise<boolean> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, millis);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
    return this.stopping;
  }

  close(): void {
    for (const signal of this.signals) process.off(signal, this.forward);
  }
}

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
