import { type Env, EnvReader } from './env';

/** How `connect-wfm kcl-daemon` runs the Java MultiLangDaemon (KCL mode only). */
export interface KclConfig {
  /** The daemon's classpath: the jars `npm run kcl:jars` resolved (the image sets /opt/kcl/jars). */
  jarDir: string;
  /** JVM options, split on spaces; the default leaves most of the task's memory to the Node children. */
  javaOptions: string[];
  /** The daemon's logback configuration; unset: docker/logback.xml of this package. */
  logConfiguration: string | undefined;
  /** KCL 3 metadata tables when not `<CHECKPOINT_TABLE>-CoordinatorState` / `-WorkerMetricStats` (Terraform passes its own). */
  coordinatorStateTable: string | undefined;
  workerMetricsTable: string | undefined;
  /** A lease not renewed for this long is taken by another worker (KCL failoverTimeMillis): the failover time. */
  failoverTimeMillis: number;
  /** At most this many leases per worker (KCL maxLeasesForWorker): each lease is a Node child of ~75 MB. Unset: no cap. */
  maxLeasesForWorker: number | undefined;
  /** How often a shard whose parents are still open checks them again (KCL parentShardPollIntervalMillis). */
  parentShardPollIntervalMillis: number;
}

export function readKclConfig(env: Env): KclConfig {
  const vars = new EnvReader(env);
  const config: KclConfig = {
    jarDir: vars.string('KCL_JAR_DIR') ?? '.kcl/jars',
    javaOptions: (vars.string('JAVA_OPTS') ?? '-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError').split(/\s+/),
    logConfiguration: vars.string('KCL_LOG_CONFIGURATION'),
    coordinatorStateTable: vars.tableName('KCL_COORDINATOR_STATE_TABLE'),
    workerMetricsTable: vars.tableName('KCL_WORKER_METRICS_TABLE'),
    failoverTimeMillis: vars.int('KCL_FAILOVER_TIME_MS', 10000, 1000, 600000),
    maxLeasesForWorker: vars.optionalInt('KCL_MAX_LEASES_FOR_WORKER', 1, 10000),
    parentShardPollIntervalMillis: vars.int('KCL_PARENT_SHARD_POLL_INTERVAL_MS', 10000, 100, 600000),
  };
  vars.done();
  return config;
}
