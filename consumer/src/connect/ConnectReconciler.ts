import { errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import type { Metrics } from '../../../common/observability/metrics';
import type { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import type { Correction } from './connectTruth';
import type { ConnectSnapshotSource } from './ConnectSnapshotSource';
import { reportCorrections } from './reportCorrections';

export interface ConnectReconcilerOptions {
  source: Pick<ConnectSnapshotSource, 'take'>;
  pipeline: Pick<AgentStatePipeline, 'reconcileWithConnect' | 'isCatchingUp'>;
  intervalMillis: number;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Every CONNECT_RECONCILE_INTERVAL_MS: reads Connect's current states and lets the pipeline post the agents whose
 * last-sent state differs (a WFM restore, a lost request, a bug). Each corrected agent is one log line and one count
 * of AgentsReconciled: drift made visible. Skipped while the reader catches up (the differences are only lag then).
 */
export class ConnectReconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Correction[] | undefined> | undefined;

  constructor(private readonly options: ConnectReconcilerOptions) {}

  start(): void {
    if (this.options.intervalMillis <= 0) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMillis);
    this.timer.unref();
  }

  /** One reconciliation (never two at once); resolves with the corrections, undefined when skipped or failed. */
  runOnce(): Promise<Correction[] | undefined> {
    this.running ??= this.reconcile().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async reconcile(): Promise<Correction[] | undefined> {
    const { source, pipeline, logger, metrics } = this.options;
    if (pipeline.isCatchingUp()) return undefined;
    try {
      const snapshot = await source.take();
      const corrections = await pipeline.reconcileWithConnect(snapshot.states, snapshot.takenAtMillis);
      reportCorrections(corrections, snapshot, logger, metrics);
      return corrections;
    } catch (error) {
      logger.warn('reconciliation with Amazon Connect failed; next interval retries', { error: errorMessage(error) });
      return undefined;
    }
  }
}
