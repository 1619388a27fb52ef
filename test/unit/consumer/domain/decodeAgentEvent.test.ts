import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAgentEvent } from '../../../../consumer/src/domain/decodeAgentEvent';

const SAMPLES = join(__dirname, '..', '..', '..', 'fixtures', 'events', 'agent-events');
const sampleFiles = [
  ...readdirSync(SAMPLES).filter((f) => f.endsWith('.json')),
  ...readdirSync(join(SAMPLES, 'extra')).map((f) => join('extra', f)),
];
/** Every event in the samples, one Kinesis record's data each (arrays hold a sequence). */
const sampleEvents = sampleFiles.flatMap((f) => {
  const parsed: unknown = JSON.parse(readFileSync(join(SAMPLES, f), 'utf8'));
  return (Array.isArray(parsed) ? parsed : [parsed]).map((e, i) => ({ name: `${f}#${i}`, json: JSON.stringify(e) }));
});
const base64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('decodeAgentEvent', () => {
  it.each(sampleEvents.map((e) => [e.name, e.json]))(
    'decodes the real sample %s from base64 and from bytes',
    (_, json) => {
      const fromBase64 = decodeAgentEvent(base64(json));
      const fromBytes = decodeAgentEvent(new Uint8Array(Buffer.from(json, 'utf8')));
      expect(fromBase64.ok).toBe(true);
      expect(fromBytes).toEqual(fromBase64);
      if (fromBase64.ok) expect(fromBase64.eventTimeMillis).toBe(Date.parse(JSON.parse(json).EventTimestamp));
    },
  );

  it('covers every sample file (24 h history, null snapshots, NextAgentStatus, ACW, contact error)', () => {
    expect(sampleEvents.length).toBe(19);
  });

  it('keeps null snapshots as null (LOGIN of 2018)', () => {
    const login = sampleEvents.find((e) => e.name.startsWith('01-login'))!;
    const r = decodeAgentEvent(base64(login.json));
    expect(r.ok && r.event.CurrentAgentSnapshot).toBeNull();
  });

  it('tolerates unknown fields, new enum values and both NextAgentStatus spellings', () => {
    const event = JSON.parse(sampleEvents.find((e) => e.name.startsWith('06-'))!.json);
    event.EventType = 'FUTURE_EVENT';
    event.BrandNewField = { nested: [1, 2] };
    event.CurrentAgentSnapshot.AgentStatus.Type = 'SOMETHING_NEW';
    event.CurrentAgentSnapshot.NextAgentStatus = { Name: 'Lunch', EnqueueTimestamp: '2023-01-01T00:00:00.000Z' };
    const r = decodeAgentEvent(base64(JSON.stringify(event)));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.event.CurrentAgentSnapshot?.NextAgentStatus?.EnqueueTimestamp).toBe('2023-01-01T00:00:00.000Z');
  });

  it.each([
    ['not JSON', base64('{"AgentARN": '), 'not JSON'],
    ['not base64 of JSON', 'this is not base64!', 'not JSON'],
    ['an array', base64('[1,2]'), 'not an object'],
    ['null', base64('null'), 'not an object'],
    [
      'no AgentARN',
      base64('{"EventId":"e","EventType":"LOGIN","EventTimestamp":"2020-01-01T00:00:00Z"}'),
      'missing AgentARN',
    ],
    [
      'no EventId',
      base64('{"AgentARN":"a","EventType":"LOGIN","EventTimestamp":"2020-01-01T00:00:00Z"}'),
      'missing EventId',
    ],
    [
      'no EventType',
      base64('{"AgentARN":"a","EventId":"e","EventTimestamp":"2020-01-01T00:00:00Z"}'),
      'missing EventType',
    ],
    [
      'a bad timestamp',
      base64('{"AgentARN":"a","EventId":"e","EventType":"LOGIN","EventTimestamp":"yesterday"}'),
      'invalid EventTimestamp',
    ],
    [
      'a snapshot that is a string',
      base64(
        '{"AgentARN":"a","EventId":"e","EventType":"LOGIN","EventTimestamp":"2020-01-01T00:00:00Z","CurrentAgentSnapshot":"x"}',
      ),
      'malformed CurrentAgentSnapshot',
    ],
    [
      'Contacts that are not an array',
      base64(
        '{"AgentARN":"a","EventId":"e","EventType":"LOGIN","EventTimestamp":"2020-01-01T00:00:00Z","PreviousAgentSnapshot":{"Contacts":{}}}',
      ),
      'malformed PreviousAgentSnapshot',
    ],
    [
      'a numeric username',
      base64(
        '{"AgentARN":"a","EventId":"e","EventType":"LOGIN","EventTimestamp":"2020-01-01T00:00:00Z","CurrentAgentSnapshot":{"Configuration":{"Username":7}}}',
      ),
      'malformed CurrentAgentSnapshot',
    ],
  ])('rejects %s with a reason instead of throwing', (_, data, reason) => {
    const r = decodeAgentEvent(data);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('reads JSON text as-is when told it is not base64 (replay files)', () => {
    const json = sampleEvents[1]!.json;
    expect(decodeAgentEvent(json, false).ok).toBe(true);
  });
});
