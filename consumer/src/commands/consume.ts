import { loadConsumerConfig } from '../../../common/config/loadConfig';
import { errorMessage } from '../../../common/errors';
import { createLogger } from '../../../common/logging/logger';
import { createDirectContainer } from '../ioc/directContainer';
import { resolveWorkerId } from '../runtime/kcl/resolveWorkerId';
import { DirectConsumer } from '../runtime/direct/DirectConsumer';
import type { Command } from '../../../common/command';

/**
 * Direct mode: reads every shard of the stream in this process (no Java), posts to WFM, checkpoints to DynamoDB
 * (CHECKPOINT_TABLE) or the embedded file store (STATE_DIR). SIGTERM/SIGINT: stop, deliver, checkpoint, exit 0.
 */
export const consumeCommand: Command = {
  name: 'consume',
  summary: 'read every shard of the agent event stream in this process (direct mode) and deliver states to WFM',
  async run() {
    const logger = createLogger({ fields: { component: 'consumer' } });
    let consumer;
    try {
      const config = loadConsumerConfig();
      const workerId = await resolveWorkerId(config.kinesis);
      consumer = createDirectContainer({ config, logger, workerId }).get(DirectConsumer);
      await consumer.start();
    } catch (error) {
      logger.error('consumer failed to start', { error: errorMessage(error) });
      return 1;
    }
    const started = consumer;
    return new Promise<number>((resolve) => {
      const onSignal = (signal: string): void => {
        logger.info(`received ${signal}`);
        started.stop().then(
          // Exit now: idle keep-alive sockets must not hold the process past the stop budget.
          () => setImmediate(() => process.exit(0)),
          (error: unknown) => {
            logger.error('shutdown failed', { error: errorMessage(error) });
            resolve(1);
          },
        );
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
    });
  },
};
