import type { AgentEvent } from './agentEvent';

export type DecodeResult = { ok: true; event: AgentEvent; eventTimeMillis: number } | { ok: false; reason: string };

/**
 * A Kinesis record's data → a validated agent event. `data` is raw bytes, or base64 text as MultiLang delivers it
 * (`base64: false` for text that is already JSON, as in replay files).
 *
 * Validation is structural and deliberately tolerant: unknown fields and enum values pass, snapshots may be null.
 * It rejects only what the pipeline cannot use: not JSON, not an object, no agent, no event id, no valid timestamp,
 * or a snapshot of the wrong shape. It never throws: a bad record must never stop a shard.
 */
export function decodeAgentEvent(data: Uint8Array | string, base64 = typeof data === 'string'): DecodeResult {
  let text: string;
  if (typeof data === 'string') text = base64 ? Buffer.from(data, 'base64').toString('utf8') : data;
  else text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'not an object' };
  const e = value as Record<string, unknown>;
  if (typeof e.AgentARN !== 'string' || e.AgentARN === '') return { ok: false, reason: 'missing AgentARN' };
  if (typeof e.EventId !== 'string' || e.EventId === '') return { ok: false, reason: 'missing EventId' };
  if (typeof e.EventType !== 'string' || e.EventType === '') return { ok: false, reason: 'missing EventType' };
  const eventTimeMillis = typeof e.EventTimestamp === 'string' ? Date.parse(e.EventTimestamp) : NaN;
  if (Number.isNaN(eventTimeMillis)) return { ok: false, reason: 'missing or invalid EventTimestamp' };
  if (!isSnapshotShape(e.CurrentAgentSnapshot)) return { ok: false, reason: 'malformed CurrentAgentSnapshot' };
  if (!isSnapshotShape(e.PreviousAgentSnapshot)) return { ok: false, reason: 'malformed PreviousAgentSnapshot' };
  return { ok: true, event: value as AgentEvent, eventTimeMillis };
}

const isObjectOrNull = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));

function isSnapshotShape(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v !== 'object' || Array.isArray(v)) return false;
  const s = v as Record<string, unknown>;
  if (!isObjectOrNull(s.AgentStatus) || !isObjectOrNull(s.Configuration) || !isObjectOrNull(s.NextAgentStatus))
    return false;
  if (s.Contacts !== undefined && s.Contacts !== null && !Array.isArray(s.Contacts)) return false;
  const status = s.AgentStatus as Record<string, unknown> | null | undefined;
  if (status && status.Name !== undefined && status.Name !== null && typeof status.Name !== 'string') return false;
  const config = s.Configuration as Record<string, unknown> | null | undefined;
  if (config && config.Username !== undefined && config.Username !== null && typeof config.Username !== 'string')
    return false;
  return true;
}
