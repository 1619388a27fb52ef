import { performance } from 'node:perf_hooks';
import { decodeAgentEvent } from '../../consumer/src/domain/decodeAgentEvent';
import { agentEvent } from '../helpers/agentEvents';

/** The parse floor in this process: base64 + JSON.parse + decode of 100,000 agent event payloads, events/s. */
export function parseFloor(): number {
  const t = Date.now();
  const payloads = Array.from({ length: 50_000 }, (_, i) =>
    Buffer.from(JSON.stringify(agentEvent({ agent: i % 5000, status: 'Available', at: t + i }))).toString('base64'),
  );
  const started = performance.now();
  for (let r = 0; r < 2; r++) for (const p of payloads) decodeAgentEvent(p);
  return (payloads.length * 2) / ((performance.now() - started) / 1000);
}
