import type { CtrRecord } from '../../processors/transfer/src/ctr/ctrRecord';
import { parseCtrAt } from '../../processors/transfer/src/ctr/parseCtrAt';
import { ctrFactory, type CtrOptions } from './ctrFactory';

/** A CtrRecord exactly as the converter reads it from the factory's JSON. */
export function ctrRecord(options: CtrOptions = {}, patch: Record<string, unknown> = {}): CtrRecord {
  const r = parseCtrAt(Buffer.from(JSON.stringify({ ...ctrFactory(options), ...patch })), 0);
  if (r.kind !== 'record') throw new Error(`factory produced an invalid CTR: ${JSON.stringify(r)}`);
  return r.record;
}
