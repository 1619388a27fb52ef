import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConsumerConfig } from '../../common/config/loadConfig';
import { createLogger } from '../../common/logging/logger';
import { MetricsRegistry } from '../../common/observability/metrics';
import { ConsumerMetric } from '../../common/observability/metricNames';
import { RtaClient } from '../../consumer/src/delivery/RtaClient';
import { AgentStatePipeline } from '../../consumer/src/pipeline/AgentStatePipeline';
import { fileSize, readEventFile } from '../../consumer/src/replay/readEventFile';
import type { Command } from '../command';

const PROGRESS_EVERY_MILLIS = 2000;

/**
 * Feeds a file of agent events through the same pipeline as the stream, to the configured WFM. Exits 0 only once
 * every resulting state is delivered; 1 if WFM rejects the requests (key, source), which retrying cannot fix.
 */
export const replayCommand: Command = {
  name: 'replay',
  summary: 'replay --input FILE: send a file of agent events (JSON lines or a JSON array) through the pipeline to WFM',
  async run(args) {
    const { values } = parseArgs({ args, options: { input: { type: 'string', short: 'i' } } });
    if (!values.input) {
      process.stderr.write('usage: connect-wfm replay --input FILE\n');
      return 2;
    }
    const config = loadConsumerConfig();
    const logger = createLogger({ fields: { command: 'replay' } });
    const metrics = new MetricsRegistry();
    const pipeline = new AgentStatePipeline({ ...config, delivery: new RtaClient(config.rta), logger, metrics });
    const sourceId = basename(values.input);
    const total = await fileSize(values.input);
    const started = Date.now();
    let lastProgress = started;
    let count = 0;
    for await (const line of readEventFile(values.input)) {
      pipeline.push({ sourceId, sequenceNumber: String(line.index), data: line.data });
      count = line.index;
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_EVERY_MILLIS) {
        lastProgress = now;
        const pct = total > 0 ? Math.min(100, (100 * line.bytesRead) / total).toFixed(1) : '100';
        const rate = Math.round((count * 1000) / (now - started));
        process.stderr.write(`replay: ${count} events (${pct}%), ${rate} events/s, ${pipeline.agentsTracked} agents\n`);
      }
    }
    const outcome = await Promise.race([
      pipeline.shutdown().then(() => 'delivered' as const),
      waitForRejection(pipeline),
    ]);
    if (outcome === 'rejected') {
      pipeline.abort();
      process.stderr.write(`replay: WFM rejected the states: ${pipeline.health().reason ?? ''}\n`);
      return 1;
    }
    const posted = metrics.total(ConsumerMetric.StatesPosted);
    const malformed = metrics.total(ConsumerMetric.MalformedRecords);
    process.stderr.write(
      `replay: ${count} events, ${malformed} malformed, ${pipeline.agentsTracked} agents, ${posted} states delivered to ${config.rta.url}\n`,
    );
    logger.debug('replay finished', { acknowledged: pipeline.acknowledged(sourceId) });
    return 0;
  },
};

async function waitForRejection(pipeline: AgentStatePipeline): Promise<'rejected'> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 200).unref());
    if (pipeline.health().rejected) return 'rejected';
  }
}
