import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadKclDaemonConfig } from '../../../common/config/loadConfig';
import { errorMessage } from '../../../common/errors';
import { createLogger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { createKclConnectTruth } from '../connect/kcl/createKclConnectTruth';
import { EmfPublisher } from '../observability/EmfPublisher';
import { resolveWorkerId } from '../runtime/kcl/resolveWorkerId';
import { runKclDaemon } from '../runtime/kcl/runKclDaemon';
import type { Command } from '../../../common/command';

/** Read a little before the snapshot's time: arrival times are Kinesis's clock, the snapshot's time is ours. */
const CLOCK_SKEW_MARGIN_MILLIS = 5000;

/**
 * KCL mode's worker in the foreground: the MultiLangDaemon (Java) with one `kcl-processor` child per shard lease,
 * and, with CONNECT_INSTANCE_ID set, the fleet's Connect truth job next to it (docs/connect-api.md, KCL mode).
 * The image's entrypoint runs exactly this; so do the tests and a local run after `npm run kcl:jars`.
 */
export const kclDaemonCommand: Command = {
  name: 'kcl-daemon',
  summary:
    'kcl-daemon [--executable CMD]: run the KCL MultiLangDaemon (jars from KCL_JAR_DIR) with a kcl-processor child per shard',
  async run(args) {
    const { values } = parseArgs({ args, options: { executable: { type: 'string' } } });
    const logger = createLogger({ fields: { component: 'kcl-daemon' } });
    let truth: ReturnType<typeof createKclConnectTruth>;
    let emf: EmfPublisher | undefined;
    try {
      const config = loadKclDaemonConfig();
      await mkdir(config.checkpoint.stateDir, { recursive: true });
      const workerId = await resolveWorkerId(config.kinesis);
      const metrics = new MetricsRegistry();
      truth = createKclConnectTruth(config, workerId, logger.child({ job: 'connect-truth' }), metrics);
      if (truth && config.ops.emfEnabled)
        emf = new EmfPublisher({ registry: metrics, intervalMillis: config.ops.metricsIntervalMillis });
      const snapshotAt = await truth?.beforeDaemon();
      return await runKclDaemon({
        config,
        workerId,
        logger,
        propertiesFile: join(config.checkpoint.stateDir, 'kcl.properties'),
        executableName: values.executable,
        initialTimestampMillis: snapshotAt === undefined ? undefined : snapshotAt - CLOCK_SKEW_MARGIN_MILLIS,
      });
    } catch (error) {
      process.stderr.write(`connect-wfm kcl-daemon: ${errorMessage(error)}\n`);
      return 1;
    } finally {
      await truth?.stop();
      emf?.stop();
    }
  },
};
