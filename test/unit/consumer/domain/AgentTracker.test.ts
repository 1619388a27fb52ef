import { AgentTracker, type TrackedEvent } from '../../../../consumer/src/domain/AgentTracker';
import { sequenceNumber as seq } from '../../../helpers/agentEvents';

const ARN = 'arn:aws:connect:us-east-1:1:instance/i/agent/a1';
const T = Date.parse('2026-01-01T10:00:00.000Z');

/** An event for `track`: a STATE_CHANGE of agent ARN (username 'ann') read from shard-0, unless said otherwise. */
const ev = (
  event: Pick<TrackedEvent, 'eventId' | 'eventTimeMillis' | 'sequenceNumber'> & Partial<TrackedEvent>,
): TrackedEvent => ({
  eventType: 'STATE_CHANGE',
  agentArn: ARN,
  username: 'ann',
  sourceId: 'shard-0',
  ...event,
});

describe('AgentTracker', () => {
  it('within a shard, a newer EventTimestamp wins and the sequence number only breaks ties', () => {
    const t = new AgentTracker();
    expect(t.track(ev({ eventId: 'e1', eventTimeMillis: T, sequenceNumber: seq(2) })).kind).toBe('apply');
    expect(t.track(ev({ eventId: 'e2', eventTimeMillis: T, sequenceNumber: seq(1) })).kind).toBe('stale');
    expect(t.track(ev({ eventId: 'e3', eventTimeMillis: T, sequenceNumber: seq(2) })).kind).toBe('stale');
    expect(t.track(ev({ eventId: 'e4', eventTimeMillis: T, sequenceNumber: seq(3) })).kind).toBe('apply');
    expect(t.track(ev({ eventId: 'e5', eventTimeMillis: T + 1000, sequenceNumber: seq(4) })).kind).toBe('apply');
    // A late duplicate (new EventId, later sequence number, older event) never replaces the newer state.
    expect(t.track(ev({ eventId: 'e6', eventTimeMillis: T - 5000, sequenceNumber: seq(5) })).kind).toBe('stale');
  });

  it('compares event time across shards (resharding) and accepts an equal time', () => {
    const t = new AgentTracker();
    t.track(ev({ eventId: 'e1', eventTimeMillis: T, sequenceNumber: seq(9) }));
    expect(
      t.track(ev({ eventId: 'e2', eventTimeMillis: T - 1, sourceId: 'shard-2', sequenceNumber: seq(1) })).kind,
    ).toBe('stale');
    expect(t.track(ev({ eventId: 'e3', eventTimeMillis: T, sourceId: 'shard-2', sequenceNumber: seq(2) })).kind).toBe(
      'apply',
    );
  });

  it('ignores a repeated EventId even from another shard with a newer sequence number', () => {
    const t = new AgentTracker();
    t.track(ev({ eventId: 'same', eventTimeMillis: T, sequenceNumber: seq(1) }));
    expect(
      t.track(ev({ eventId: 'same', eventTimeMillis: T + 1, sourceId: 'shard-1', sequenceNumber: seq(5) })),
    ).toEqual({ kind: 'duplicate' });
  });

  it('forgets old EventIds beyond its capacity, keeping memory bounded', () => {
    const t = new AgentTracker(4);
    for (let i = 0; i < 10; i++)
      t.track(
        ev({
          eventType: 'HEART_BEAT',
          agentArn: `${ARN}${i}`,
          eventId: `id-${i}`,
          eventTimeMillis: T,
          username: 'u',
          sourceId: 's',
          sequenceNumber: seq(1),
        }),
      );
    expect(
      t.track(
        ev({
          eventType: 'HEART_BEAT',
          agentArn: `${ARN}x`,
          eventId: 'id-0',
          eventTimeMillis: T,
          username: 'u',
          sourceId: 's',
          sequenceNumber: seq(2),
        }),
      ).kind,
    ).toBe('apply');
    expect(
      t.track(
        ev({
          eventType: 'HEART_BEAT',
          agentArn: `${ARN}y`,
          eventId: 'id-9',
          eventTimeMillis: T,
          username: 'u',
          sourceId: 's',
          sequenceNumber: seq(3),
        }),
      ).kind,
    ).toBe('duplicate');
  });

  it('remembers the username for LOGOUT and null snapshots, and has none before the first snapshot', () => {
    const t = new AgentTracker();
    expect(
      t.track(
        ev({
          eventType: 'LOGIN',
          eventId: 'e1',
          eventTimeMillis: T,
          username: undefined,
          sourceId: 's',
          sequenceNumber: seq(1),
        }),
      ),
    ).toEqual({ kind: 'no-username' });
    t.track(ev({ eventId: 'e2', eventTimeMillis: T + 1, sourceId: 's', sequenceNumber: seq(2) }));
    expect(
      t.track(
        ev({
          eventType: 'LOGOUT',
          eventId: 'e3',
          eventTimeMillis: T + 2,
          username: undefined,
          sourceId: 's',
          sequenceNumber: seq(3),
        }),
      ),
    ).toEqual({
      kind: 'apply',
      agentArn: ARN,
      userCode: 'ann',
      loggedOut: true,
    });
  });

  it('keeps an agent logged out through heartbeats after LOGOUT until a LOGIN or STATE_CHANGE', () => {
    const t = new AgentTracker();
    t.track(ev({ eventType: 'LOGOUT', eventId: 'e1', eventTimeMillis: T, sourceId: 's', sequenceNumber: seq(1) }));
    expect(
      t.track(
        ev({ eventType: 'HEART_BEAT', eventId: 'e2', eventTimeMillis: T + 1, sourceId: 's', sequenceNumber: seq(2) }),
      ),
    ).toMatchObject({ loggedOut: true });
    expect(t.track(ev({ eventId: 'e3', eventTimeMillis: T + 2, sourceId: 's', sequenceNumber: seq(3) }))).toMatchObject(
      { loggedOut: false },
    );
    expect(
      t.track(
        ev({ eventType: 'HEART_BEAT', eventId: 'e4', eventTimeMillis: T + 3, sourceId: 's', sequenceNumber: seq(4) }),
      ),
    ).toMatchObject({ loggedOut: false });
  });

  it('after a restore, refuses replayed events older than the delivered state', () => {
    const t = new AgentTracker();
    t.restore([{ userCode: 'ann', stateCode: 'Break', agentArn: ARN, eventTimeMillis: T }], 'LOGGED_OUT');
    expect(t.track(ev({ eventId: 'old', eventTimeMillis: T - 1000, sequenceNumber: seq(1) })).kind).toBe('stale');
    expect(t.track(ev({ eventId: 'new', eventTimeMillis: T + 1000, sequenceNumber: seq(2) })).kind).toBe('apply');
  });

  it('after a restore, an agent delivered as logged out stays logged out through heartbeats', () => {
    const t = new AgentTracker();
    t.restore([{ userCode: 'ann', stateCode: 'LOGGED_OUT', agentArn: ARN, eventTimeMillis: T }], 'LOGGED_OUT');
    expect(
      t.track(ev({ eventType: 'HEART_BEAT', eventId: 'e1', eventTimeMillis: T + 1000, sequenceNumber: seq(1) })),
    ).toEqual({
      kind: 'apply',
      agentArn: ARN,
      userCode: 'ann',
      loggedOut: true,
    });
    expect(
      t.track(ev({ eventType: 'LOGIN', eventId: 'e2', eventTimeMillis: T + 2000, sequenceNumber: seq(2) })),
    ).toMatchObject({ loggedOut: false });
  });
});
