import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadKclDaemonConfig } from '../../../common/config/loadConfig';
import { errorMessage } from '../../../common/errors';
import { createLogger } from '../../../common/logging/logger';
import { resolveWorkerId } from '../retrieval/kcl/resolveWorkerId';
import { runKclDaemon } from '../retrieval/kcl/runKclDaemon';
import type { Command } from '../../../common/command';

/**
 * KCL mode's worker in the foreground: the MultiLangDaemon (Java) with one `kcl-processor` child per shard lease.
 * The image's entrypoint runs exactly this; so do the tests and a local run after `npm run kcl:jars`.
 */
export const kclDaemonCommand: Command = {
  name: 'kcl-daemon',
  summary:
    'kcl-daemon [--executable CMD]: run the KCL MultiLangDaemon (jars from KCL_JAR_DIR) with a kcl-processor child per shard',
  async run(args) {
    const { values } = parseArgs({ args, options: { executable: { type: 'string' } } });
    const logger = createLogger({ fields: { component: 'kcl-daemon' } });
    try {
      const config = loadKclDaemonConfig();
      await mkdir(config.checkpoint.stateDir, { recursive: true });
      return await runKclDaemon({
        config,
        workerId: await resolveWorkerId(config.kinesis),
        logger,
        propertiesFile: join(config.checkpoint.stateDir, 'kcl.properties'),
        executableName: values.executable,
      });
    } catch (error) {
      process.stderr.write(`connect-wfm kcl-daemon: ${errorMessage(error)}\n`);
      return 1;
    }
  },
};
