import kcl from 'aws-kcl';
import type { Readable } from 'node:stream';
import type { ConsumerConfig } from '../../../../common/config/loadConfig';
import { errorMessage } from '../../../../common/errors';
import type { Logger } from '../../../../common/logging/logger';
import { MetricsRegistry } from '../../../../common/observability/metrics';
import { createProcessContainer, createShardContainer, kclShardStore } from '../../ioc/containers';
import { TYPES } from '../../ioc/tokens';
import { EmfPublisher } from '../../observability/EmfPublisher';
import { KclChildStatusWriter, kclChildStatusDir } from '../../observability/kclChildStatus';
import { AgentEventRecordProcessor } from '../../processor/AgentEventRecordProcessor';
import { KclRecordProcessor } from '../../retrieval/kcl/KclRecordProcessor';
import { createProtocolStreams } from '../../retrieval/kcl/protocolStreams';

export interface KclProcessorRun {
  config: ConsumerConfig;
  logger: Logger;
  workerId: string;
  stdin: Readable;
  writeProtocol: (text: string, callback: (error?: Error | null) => void) => void;
  /** Ends the process (process.exit in production). */
  exit: (code: number) => void;
}

/**
 * The MultiLang child: one per shard lease. stdout carries only the protocol; logs and EMF metrics go to stderr
 * (the daemon re-logs them at ERROR and echoes them raw to its own stderr). It exits by itself when stdin closes.
 */
export function runKclProcessor(run: KclProcessorRun): void {
  const { config, logger } = run;
  const metrics = new MetricsRegistry();
  const emf = config.ops.emfEnabled
    ? new EmfPublisher({ registry: metrics, intervalMillis: config.ops.metricsIntervalMillis })
    : undefined;
  const parent = createProcessContainer({ config, logger, workerId: run.workerId, metrics });
  let statusWriter: KclChildStatusWriter | undefined;
  let exiting = false;
  const exit = (code: number): void => {
    if (exiting) return;
    exiting = true;
    emf?.stop();
    statusWriter?.stop();
    // Let the stderr lines out, then go: open handles (timers, keep-alive sockets) must not keep the child alive.
    setImmediate(() => run.exit(code));
  };

  const processor = new KclRecordProcessor(
    async (shardId) => {
      const store = kclShardStore(parent, shardId);
      await store.prepare();
      const initial = await store.loadAgentStates();
      logger.info('restored delivered agent states', { shardId, agents: initial.length });
      const shard = createShardContainer(parent, shardId, initial, store);
      const recordProcessor = shard.get(AgentEventRecordProcessor);
      const pipeline = shard.get(TYPES.Pipeline);
      statusWriter = new KclChildStatusWriter(
        kclChildStatusDir(config.checkpoint.stateDir),
        () => ({ shardId, lastBatchAt: recordProcessor.lastBatchAt, wfm: pipeline.health() }),
        metrics,
      );
      return recordProcessor;
    },
    logger,
    (error) => {
      logger.error('record processor failed', { error: errorMessage(error) });
      exit(1);
    },
  );
  const streams = createProtocolStreams({
    stdin: run.stdin,
    writeProtocol: run.writeProtocol,
    logger,
    onEnd: () => {
      logger.info('stdin closed by the MultiLangDaemon; exiting');
      processor.abandon();
      exit(0);
    },
  });
  kcl(processor, streams.input, streams.output, process.stderr).run();
}
