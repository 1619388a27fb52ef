import { AgentTracker } from '../../../../consumer/src/agent-events/AgentTracker';
import { sequenceNumber as seq } from '../../../helpers/agentEvents';

const ARN = 'arn:aws:connect:us-east-1:1:instance/i/agent/a1';
const T = Date.parse('2026-01-01T10:00:00.000Z');

describe('AgentTracker', () => {
  it('within a shard, a newer EventTimestamp wins and the sequence number only breaks ties', () => {
    const t = new AgentTracker();
    expect(t.track('STATE_CHANGE', ARN, 'e1', T, 'ann', 'shard-0', seq(2)).kind).toBe('apply');
    expect(t.track('STATE_CHANGE', ARN, 'e2', T, 'ann', 'shard-0', seq(1)).kind).toBe('stale');
    expect(t.track('STATE_CHANGE', ARN, 'e3', T, 'ann', 'shard-0', seq(2)).kind).toBe('stale');
    expect(t.track('STATE_CHANGE', ARN, 'e4', T, 'ann', 'shard-0', seq(3)).kind).toBe('apply');
    expect(t.track('STATE_CHANGE', ARN, 'e5', T + 1000, 'ann', 'shard-0', seq(4)).kind).toBe('apply');
    // A late duplicate (new EventId, later sequence number, older event) never replaces the newer state.
    expect(t.track('STATE_CHANGE', ARN, 'e6', T - 5000, 'ann', 'shard-0', seq(5)).kind).toBe('stale');
  });

  it('compares event time across shards (resharding) and accepts an equal time', () => {
    const t = new AgentTracker();
    t.track('STATE_CHANGE', ARN, 'e1', T, 'ann', 'shard-0', seq(9));
    expect(t.track('STATE_CHANGE', ARN, 'e2', T - 1, 'ann', 'shard-2', seq(1)).kind).toBe('stale');
    expect(t.track('STATE_CHANGE', ARN, 'e3', T, 'ann', 'shard-2', seq(2)).kind).toBe('apply');
  });

  it('ignores a repeated EventId even from another shard with a newer sequence number', () => {
    const t = new AgentTracker();
    t.track('STATE_CHANGE', ARN, 'same', T, 'ann', 'shard-0', seq(1));
    expect(t.track('STATE_CHANGE', ARN, 'same', T + 1, 'ann', 'shard-1', seq(5))).toEqual({ kind: 'duplicate' });
  });

  it('forgets old EventIds beyond its capacity, keeping memory bounded', () => {
    const t = new AgentTracker(4);
    for (let i = 0; i < 10; i++) t.track('HEART_BEAT', `${ARN}${i}`, `id-${i}`, T, 'u', 's', seq(1));
    expect(t.track('HEART_BEAT', `${ARN}x`, 'id-0', T, 'u', 's', seq(2)).kind).toBe('apply');
    expect(t.track('HEART_BEAT', `${ARN}y`, 'id-9', T, 'u', 's', seq(3)).kind).toBe('duplicate');
  });

  it('remembers the username for LOGOUT and null snapshots, and has none before the first snapshot', () => {
    const t = new AgentTracker();
    expect(t.track('LOGIN', ARN, 'e1', T, undefined, 's', seq(1))).toEqual({ kind: 'no-username' });
    t.track('STATE_CHANGE', ARN, 'e2', T + 1, 'ann', 's', seq(2));
    expect(t.track('LOGOUT', ARN, 'e3', T + 2, undefined, 's', seq(3))).toEqual({
      kind: 'apply',
      agentArn: ARN,
      userCode: 'ann',
      loggedOut: true,
    });
  });

  it('keeps an agent logged out through heartbeats after LOGOUT until a LOGIN or STATE_CHANGE', () => {
    const t = new AgentTracker();
    t.track('LOGOUT', ARN, 'e1', T, 'ann', 's', seq(1));
    expect(t.track('HEART_BEAT', ARN, 'e2', T + 1, 'ann', 's', seq(2))).toMatchObject({ loggedOut: true });
    expect(t.track('STATE_CHANGE', ARN, 'e3', T + 2, 'ann', 's', seq(3))).toMatchObject({ loggedOut: false });
    expect(t.track('HEART_BEAT', ARN, 'e4', T + 3, 'ann', 's', seq(4))).toMatchObject({ loggedOut: false });
  });

  it('after a restore, refuses replayed events older than the delivered state', () => {
    const t = new AgentTracker();
    t.restore([{ userCode: 'ann', stateCode: 'Break', agentArn: ARN, eventTimeMillis: T }], 'LOGGED_OUT');
    expect(t.track('STATE_CHANGE', ARN, 'old', T - 1000, 'ann', 'shard-0', seq(1)).kind).toBe('stale');
    expect(t.track('STATE_CHANGE', ARN, 'new', T + 1000, 'ann', 'shard-0', seq(2)).kind).toBe('apply');
  });

  it('after a restore, an agent delivered as logged out stays logged out through heartbeats', () => {
    const t = new AgentTracker();
    t.restore([{ userCode: 'ann', stateCode: 'LOGGED_OUT', agentArn: ARN, eventTimeMillis: T }], 'LOGGED_OUT');
    expect(t.track('HEART_BEAT', ARN, 'e1', T + 1000, 'ann', 'shard-0', seq(1))).toEqual({
      kind: 'apply',
      agentArn: ARN,
      userCode: 'ann',
      loggedOut: true,
    });
    expect(t.track('LOGIN', ARN, 'e2', T + 2000, 'ann', 'shard-0', seq(2))).toMatchObject({ loggedOut: false });
  });
});
