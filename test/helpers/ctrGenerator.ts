import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { ctrFactory, type CtrJson } from './ctrFactory';

/**
 * Writes a Firehose-style CTR object of at least `minBytes` to `path`, streamed (constant memory), deterministic.
 * Every 10th contact is abandoned, every 7th has a comma/quote/non-ASCII username, every 3rd is followed by a newline
 * (Firehose with the newline delimiter) so the converter sees every shape it meets in production.
 */
export async function writeCtrFile(path: string, minBytes: number): Promise<{ bytes: number; records: number }> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  let records = 0;
  while (bytes < minBytes) {
    const text = JSON.stringify(generatedCtr(records)) + (records % 3 === 0 ? '\n' : '');
    bytes += Buffer.byteLength(text);
    records++;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, records };
}

export function generatedCtr(n: number): CtrJson {
  const minute = n % 1440;
  const at = (offsetSeconds: number): string =>
    new Date(Date.UTC(2026, 0, 5, 0, minute, 0) + offsetSeconds * 1000).toISOString().replace('.000Z', 'Z');
  return ctrFactory({
    contactId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    username: n % 7 === 0 ? `Åsa, "Öberg" ${n % 50}` : `agent.${n % 50}`,
    agentId: `agent-${n % 50}`,
    queueId: `queue-${n % 8}`,
    queueName: `Queue ${n % 8}`,
    queueDuration: n % 120,
    initiationTimestamp: at(0),
    enqueueTimestamp: at(5),
    connectedToAgentTimestamp: n % 10 === 0 ? null : at(5 + (n % 120)),
    disconnectTimestamp: at(400),
    lastUpdateTimestamp: at(460),
  });
}
