import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbCheckpointStore } from '../../../consumer/src/checkpoint/DynamoDbCheckpointStore';
import { CONNECT_SOURCE } from '../../../consumer/src/domain/agentState';
import { AgentStateWriteBack } from '../../../consumer/src/connect/kcl/AgentStateWriteBack';
import { TruthLease } from '../../../consumer/src/connect/kcl/TruthLease';
import type { CodedState } from '../../../consumer/src/delivery/CoalescingDelivery';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../../local/emulators';

/**
 * KCL mode's Connect truth job on DynamoDB Local: its lease item and its conditional writes in the agent-state
 * table, and how the children's store sees them.
 */
let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
}, 120000);
afterAll(() => dynamo?.stop());

let n = 0;
async function tables() {
  const table = `truth-leases-${++n}`;
  const store = (shardId?: string) =>
    new DynamoDbCheckpointStore({
      client: dynamo.client,
      leaseTable: table,
      agentStateTable: `${table}-agent-states`,
      workerId: 'w',
      createTables: true,
      shardId,
    });
  await store().prepare();
  const clock = { now: 1_000_000 };
  const lease = (owner: string) =>
    new TruthLease({
      client: dynamo.client,
      table: `${table}-agent-states`,
      owner,
      leaseMillis: 3000,
      now: () => clock.now,
    });
  const writeBack = new AgentStateWriteBack({
    client: dynamo.client,
    table: `${table}-agent-states`,
    ttlMillis: 3600_000,
  });
  return { table, store, clock, lease, writeBack };
}

const state = (userCode: string, stateCode: string, at: number): CodedState => ({
  userCode,
  stateCode,
  loggedOut: false,
  agentArn: `arn:${userCode}`,
  eventTimeMillis: at,
  sourceId: CONNECT_SOURCE,
  sequenceNumber: '0',
});

describe('the Connect truth lease (KCL mode)', () => {
  test('one holder at a time; a holder that stops renewing is replaced after one lease period, not before', async () => {
    // Prepare
    const { clock, lease } = await tables();
    const [a, b] = [lease('task-a'), lease('task-b')];
    // Act
    const aTakes = await a.acquire();
    const bWhileHeld = await b.acquire();
    clock.now += 2000;
    const aRenews = await a.renew();
    clock.now += 2999;
    const bBeforeExpiry = await b.acquire();
    clock.now += 2;
    const bAfterExpiry = await b.acquire();
    const aRenewsAfterTakeover = await a.renew();
    // Assess
    expect([aTakes, bWhileHeld, aRenews, bBeforeExpiry, bAfterExpiry, aRenewsAfterTakeover]).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect((await a.read()).owner).toBe('task-b');
  });

  test('a release frees the lease at once and keeps the first-start marker', async () => {
    // Prepare
    const { lease } = await tables();
    const [a, b] = [lease('task-a'), lease('task-b')];
    await a.acquire();
    // Act
    const bNotHolder = await b.recordFirstStartSnapshot(42);
    await a.recordFirstStartSnapshot(1234);
    await a.release();
    const bTakes = await b.acquire();
    // Assess
    expect(bNotHolder).toBe(false);
    expect(bTakes).toBe(true);
    expect(await b.read()).toMatchObject({ owner: 'task-b', firstStartSnapshotAtMillis: 1234 });
  });

  test("the lease item is no agent: the full scan skips it and a child's shard query never sees it", async () => {
    // Prepare
    const { lease, store } = await tables();
    await lease('task-a').acquire();
    await store('shardId-000000000000').commit({
      agentStates: [{ userCode: 'a', stateCode: 'Break', agentArn: 'arn:a', eventTimeMillis: 5 }],
      checkpoints: [],
    });
    // Act
    const all = await store().loadAgentStates();
    const child = await store('shardId-000000000000').loadAgentStates();
    // Assess
    expect(all.map((s) => s.userCode)).toEqual(['a']);
    expect(child.map((s) => s.userCode)).toEqual(['a']);
  });
});

describe('the Connect truth write-back (KCL mode)', () => {
  test("writes only over an older event: a child's newer stream state wins and is returned; the child's shard is kept", async () => {
    // Prepare: agent a delivered by shard 0 at t=100, agent b by shard 1 at t=900, agent c never
    const { table, store, writeBack } = await tables();
    await store('shardId-000000000000').commit({
      agentStates: [{ userCode: 'a', stateCode: 'Available', agentArn: 'arn:a', eventTimeMillis: 100 }],
      checkpoints: [],
    });
    await store('shardId-000000000001').commit({
      agentStates: [{ userCode: 'b', stateCode: 'Lunch', agentArn: 'arn:b', eventTimeMillis: 900 }],
      checkpoints: [],
    });
    // Act: Connect's states at t=500
    const result = await writeBack.writeIfOlder(
      [state('a', 'Break', 500), state('b', 'Training', 500), state('c', 'Meeting', 500)],
      500,
    );
    const item = async (userCode: string) =>
      (
        await dynamo.client.send(
          new GetItemCommand({ TableName: `${table}-agent-states`, Key: { userCode: { S: userCode } } }),
        )
      ).Item;
    // Assess
    expect(result.written).toBe(2);
    expect(result.newer).toEqual([{ userCode: 'b', stateCode: 'Lunch', agentArn: 'arn:b', eventTimeMillis: 900 }]);
    expect(await item('a')).toMatchObject({
      stateCode: { S: 'Break' },
      eventTimeMillis: { N: '500' },
      shardId: { S: 'shardId-000000000000' },
    });
    expect(await item('b')).toMatchObject({ stateCode: { S: 'Lunch' }, eventTimeMillis: { N: '900' } });
    expect(await item('c')).toMatchObject({ stateCode: { S: 'Meeting' }, shardId: { S: CONNECT_SOURCE } });
  });

  test('every child also loads the agents only Connect recorded, so none of them posts an event older than the snapshot', async () => {
    // Prepare
    const { store, writeBack } = await tables();
    await store('shardId-000000000001').commit({
      agentStates: [{ userCode: 'b', stateCode: 'Lunch', agentArn: 'arn:b', eventTimeMillis: 900 }],
      checkpoints: [],
    });
    await writeBack.writeIfOlder([state('c', 'Meeting', 500)], 500);
    // Act
    const shard0 = await store('shardId-000000000000').loadAgentStates();
    const shard1 = await store('shardId-000000000001').loadAgentStates();
    // Assess
    expect(shard0).toEqual([
      {
        userCode: 'c',
        stateCode: 'Meeting',
        agentArn: 'arn:c',
        eventTimeMillis: 500,
        loggedOut: false,
        sourceId: CONNECT_SOURCE,
      },
    ]);
    expect(shard1.map((s) => s.userCode).sort()).toEqual(['b', 'c']);
  });
});
