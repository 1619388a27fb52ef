import type { Logger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import type { Correction } from './connectTruth';
import type { ConnectSnapshot } from './ConnectSnapshotSource';

/** Drift made visible, in both modes: one warn line per corrected agent, one count each, one summary line. */
export function reportCorrections(
  corrections: readonly Correction[],
  snapshot: Pick<ConnectSnapshot, 'states' | 'calls'>,
  logger: Logger,
  metrics: Metrics,
): void {
  for (const c of corrections)
    logger.warn('agent state corrected from Amazon Connect', {
      userCode: c.state.userCode,
      was: c.was ?? null,
      now: c.state.stateCode,
    });
  metrics.count(ConsumerMetric.AgentsReconciled, corrections.length);
  logger.info('reconciled with Amazon Connect', {
    agents: snapshot.states.length,
    corrected: corrections.length,
    calls: snapshot.calls,
  });
}
