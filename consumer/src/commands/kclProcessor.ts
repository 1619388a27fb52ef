import { loadConsumerConfig } from '../../../common/config/loadConfig';
import { errorMessage } from '../../../common/errors';
import { createLogger } from '../../../common/logging/logger';
import { claimStdoutForProtocol } from '../retrieval/kcl/protocolStreams';
import { resolveWorkerId } from '../runtime/kcl/resolveWorkerId';
import { runKclProcessor } from '../runtime/kcl/runKclProcessor';
import type { Command } from '../../../common/command';

/**
 * The child the KCL MultiLangDaemon spawns per shard (`executableName = node dist/cli/main.js kcl-processor`).
 * Never returns on its own: it exits when the daemon closes stdin.
 */
export const kclProcessorCommand: Command = {
  name: 'kcl-processor',
  summary: 'record processor child of the KCL MultiLangDaemon (speaks the MultiLang protocol on stdin/stdout)',
  async run() {
    // First: from here on, anything but the protocol written to stdout lands on stderr.
    const writeProtocol = claimStdoutForProtocol();
    const logger = createLogger({ fields: { component: 'kcl-processor', pid: process.pid } });
    // A process-group signal must not kill the child mid-batch: the daemon would see EOF, which is fatal to it.
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      process.on(signal, () => logger.info(`ignoring ${signal}; the child exits when the daemon closes stdin`));
    let config;
    try {
      config = loadConsumerConfig();
    } catch (error) {
      logger.error('invalid configuration', { error: errorMessage(error) });
      return 1;
    }
    const workerId = await resolveWorkerId(config.kinesis);
    runKclProcessor({
      config,
      logger,
      workerId,
      stdin: process.stdin,
      writeProtocol,
      exit: (code) => process.exit(code),
    });
    return new Promise<number>(() => undefined);
  },
};
