import { decodeAgentEvent } from '../../../consumer/src/domain/decodeAgentEvent';
import { deriveStateCode } from '../../../consumer/src/domain/deriveStateCode';
import { type CtrItem, CtrStreamParser } from '../../../processors/transfer/src/ctr/CtrStreamParser';
import type { ContactTraceRecord, StreamAgentEvent } from '../../../simulator/src/connectShapes';
import { simulate } from '../../../simulator/src/simulate';
import { formatStats, SimulationStats } from '../../../simulator/src/SimulationStats';
import { FirehoseObjectBuffer } from '../../../simulator/src/sinks/FirehoseObjectBuffer';
import type { SimulationOptions } from '../../../simulator/src/types';

const START = Date.parse('2026-01-05T07:00:00Z');
const options = (o: Partial<SimulationOptions> = {}): SimulationOptions => ({
  agents: 12,
  durationMillis: 9 * 3600 * 1000,
  startMillis: START,
  seed: 42,
  contactsPerAgentHour: 9,
  ...o,
});
const run = (o?: Partial<SimulationOptions>) => [...simulate(options(o)).outputs];

describe('simulate', () => {
  // One nine-hour run of 12 agents is shared by the checks below (a few thousand events).
  const outputs = run();
  const events = outputs.flatMap((o) => (o.kind === 'agent-event' ? [o.event] : []));
  const ctrs = outputs.flatMap((o) => (o.kind === 'ctr' ? [o.record] : []));
  const byAgent = new Map<string, StreamAgentEvent[]>();
  for (const e of events) byAgent.set(e.AgentARN, [...(byAgent.get(e.AgentARN) ?? []), e]);

  it('is deterministic for a seed and start, and different for another seed', () => {
    // Act
    const again = run();
    const other = run({ seed: 43 });

    // Assess
    expect(JSON.stringify(again)).toBe(JSON.stringify(outputs));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(outputs));
  });

  it('emits outputs in time order, every agent event accepted by the product decoder', () => {
    // Assess
    for (let i = 1; i < outputs.length; i++)
      expect(outputs[i]!.timeMillis).toBeGreaterThanOrEqual(outputs[i - 1]!.timeMillis);
    for (const e of events) {
      const decoded = decodeAgentEvent(JSON.stringify(e), false);
      expect(decoded).toMatchObject({ ok: true, eventTimeMillis: Date.parse(e.EventTimestamp) });
      expect(e.EventTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('models a whole shift per agent: login, contacts on every channel, custom statuses, logout', () => {
    // Assess
    expect(byAgent.size).toBe(12);
    const statusNames = new Set(events.map((e) => e.CurrentAgentSnapshot?.AgentStatus.Name));
    expect([...statusNames].sort()).toEqual(expect.arrayContaining(['Available', 'Break', 'Lunch', 'Offline']));
    const contactStates = new Set(events.flatMap((e) => e.CurrentAgentSnapshot?.Contacts.map((c) => c.State) ?? []));
    expect([...contactStates]).toEqual(
      expect.arrayContaining(['CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'ENDED']),
    );
    expect(new Set(ctrs.map((c) => c.Channel))).toEqual(new Set(['VOICE', 'CHAT', 'TASK']));
    expect(ctrs.some((c) => c.InitiationMethod === 'OUTBOUND')).toBe(true);
    // Concurrent chats, with the routing profile's chat slots counting down.
    const twoChats = events.find(
      (e) => e.CurrentAgentSnapshot?.Contacts.filter((c) => c.Channel === 'CHAT').length === 2,
    );
    const chatSlots = twoChats?.CurrentAgentSnapshot?.Configuration.RoutingProfile.Concurrency.find(
      (c) => c.Channel === 'CHAT',
    );
    expect(chatSlots).toBeDefined();
    expect(chatSlots!.AvailableSlots).toBe(chatSlots!.MaximumSlots - 2);
    expect(ctrs.some((c) => c.Agent === null && c.Queue !== null)).toBe(true); // abandoned
    expect(ctrs.some((c) => c.TransferredToEndpoint !== null)).toBe(true);
    for (const list of byAgent.values()) {
      expect(list[0]!.EventType).toBe('LOGIN');
      expect(list.filter((e) => e.EventType === 'LOGOUT')).toHaveLength(1);
    }
  });

  it('chains snapshots: each Previous is the Current of the agent’s last state-bearing event', () => {
    // Assess
    for (const list of byAgent.values()) {
      for (let i = 1; i < list.length; i++) {
        expect(list[i]!.PreviousAgentSnapshot).toEqual(list[i - 1]!.CurrentAgentSnapshot);
        expect(Date.parse(list[i]!.EventTimestamp)).toBeGreaterThanOrEqual(Date.parse(list[i - 1]!.EventTimestamp));
      }
    }
  });

  it('sends HEART_BEAT exactly after 120 s without other events, never a gap longer than that while logged in', () => {
    // Assess
    let heartBeats = 0;
    for (const list of byAgent.values()) {
      const logout = list.findIndex((e) => e.EventType === 'LOGOUT');
      for (let i = 1; i < list.length; i++) {
        const gap = Date.parse(list[i]!.EventTimestamp) - Date.parse(list[i - 1]!.EventTimestamp);
        if (i <= logout) expect(gap).toBeLessThanOrEqual(120_000);
        if (list[i]!.EventType === 'HEART_BEAT') {
          heartBeats++;
          expect(gap).toBe(120_000);
          expect(list[i]!.CurrentAgentSnapshot).toEqual(list[i]!.PreviousAgentSnapshot);
        }
      }
    }
    expect(heartBeats).toBeGreaterThan(0);
  });

  it('gives every logged-in event a state code in both state modes', () => {
    // Assess
    for (const e of events.filter((x) => x.CurrentAgentSnapshot)) {
      expect(deriveStateCode(e, { stateMode: 'status', loggedOutStateCode: 'LOGGED_OUT' })).toBeTruthy();
      expect(deriveStateCode(e, { stateMode: 'contact', loggedOutStateCode: 'LOGGED_OUT' })).toMatch(/^[A-Za-z_]+$/);
    }
  });

  it('puts a picked status in NextAgentStatus while busy and switches to it when the contact clears', () => {
    // Assess
    const withNext = events.filter((e) => e.CurrentAgentSnapshot?.NextAgentStatus);
    expect(withNext.length).toBeGreaterThan(0);
    for (const e of withNext) expect(e.CurrentAgentSnapshot!.Contacts.length).toBeGreaterThan(0);
    const switches = events.filter(
      (e) =>
        e.PreviousAgentSnapshot?.NextAgentStatus &&
        e.CurrentAgentSnapshot?.Contacts.length === 0 &&
        e.CurrentAgentSnapshot.AgentStatus.Name === e.PreviousAgentSnapshot.NextAgentStatus.Name,
    );
    expect(switches.length).toBeGreaterThan(0);
    for (const e of switches) expect(e.CurrentAgentSnapshot!.NextAgentStatus).toBeNull();
  });

  it('writes CTRs the product parser reads back field for field, Firehose-style concatenated', () => {
    // Prepare
    let n = 0;
    const buffer = new FirehoseObjectBuffer({
      prefix: 'ctr/',
      deliveryStreamName: 'connect-ctr',
      bufferMillis: 300_000,
      bufferBytes: 5 << 20,
      newId: () => `id-${n++}`,
    });
    const objects = [];
    for (const o of outputs) if (o.kind === 'ctr') objects.push(buffer.add(JSON.stringify(o.record), o.timeMillis));
    objects.push(buffer.drain());
    const bodies = objects.filter((o) => o !== undefined);
    const multi = bodies.find((o) => o.records > 1);

    // Act
    const items: CtrItem[] = [];
    for (const o of bodies) {
      const parser = new CtrStreamParser();
      parser.push(Buffer.from(o.body), items);
      parser.end(items);
    }

    // Assess
    expect(bodies[0]!.key).toMatch(/^ctr\/2026\/01\/05\/\d\d\/connect-ctr-1-2026-01-05-\d\d-\d\d-\d\d-id-0$/);
    expect(multi?.body).toContain('}{');
    expect(items.filter((i) => i.kind === 'invalid')).toEqual([]);
    expect(items).toHaveLength(ctrs.length);
    items.forEach((item, i) => {
      const ctr: ContactTraceRecord = ctrs[i]!;
      expect(item).toMatchObject({
        kind: 'record',
        record: {
          contactId: ctr.ContactId,
          channel: ctr.Channel,
          initiationMethod: ctr.InitiationMethod,
          agent: ctr.Agent ? { username: ctr.Agent.Username } : null,
        },
      });
      expect(ctr.LastUpdateTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      if (ctr.Agent) {
        const a = ctr.Agent;
        expect(Date.parse(a.AfterContactWorkEndTimestamp) - Date.parse(a.AfterContactWorkStartTimestamp)).toBe(
          a.AfterContactWorkDuration * 1000,
        );
      }
    });
  });

  it('appends the newline delimiter when configured, and the product parser reads that too', () => {
    // Prepare
    const buffer = new FirehoseObjectBuffer({
      prefix: '',
      deliveryStreamName: 's',
      bufferMillis: 1e12,
      bufferBytes: 5 << 20,
      newId: () => 'x',
      delimiter: '\n',
    });
    for (const c of ctrs.slice(0, 5)) buffer.add(JSON.stringify(c), START);

    // Act
    const object = buffer.drain()!;
    const items: CtrItem[] = [];
    const parser = new CtrStreamParser();
    parser.push(Buffer.from(object.body), items);
    parser.end(items);

    // Assess
    expect(object.body.split('\n')).toHaveLength(6);
    expect(object.body.endsWith('}\n')).toBe(true);
    expect(items.map((i) => (i.kind === 'record' ? i.record.contactId : i.reason))).toEqual(
      ctrs.slice(0, 5).map((c) => c.ContactId),
    );
  });

  it('reports events per agent-hour, the contact mix and the ACW share', () => {
    // Prepare
    const stats = new SimulationStats();

    // Act
    for (const o of outputs) stats.observe(o);
    const s = stats.summary();

    // Assess
    expect(s.agents).toBe(12);
    expect(s.staffedAgentHours).toBeGreaterThan(12 * 7.5);
    expect(s.staffedAgentHours).toBeLessThan(12 * 9);
    expect(s.eventsPerAgentHour).toBeCloseTo(events.length / s.staffedAgentHours, 5);
    expect(s.ctrs).toBe(ctrs.length);
    expect(s.acwShareOfHandleTime).toBeGreaterThan(0.02);
    expect(s.acwShareOfHandleTime).toBeLessThan(0.3);
    expect(formatStats(s)).toMatch(/events per agent-hour\s+\d+\.\d/);
    expect(formatStats(s)).toMatch(/VOICE INBOUND/);
  });
});
