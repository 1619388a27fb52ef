import { DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbCheckpointStore } from '../../../consumer/src/checkpoint/DynamoDbCheckpointStore';
import { SHARD_END } from '../../../consumer/src/checkpoint/types';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../../local/emulators';

let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
}, 120000);
afterAll(() => dynamo?.stop());

let n = 0;
function store(table: string, workerId = 'worker-a', shardId?: string): DynamoDbCheckpointStore {
  return new DynamoDbCheckpointStore({
    client: dynamo.client,
    leaseTable: table,
    agentStateTable: `${table}-agent-states`,
    workerId,
    createTables: true,
    shardId,
    ttlMillis: 3600_000,
  });
}

describe('DynamoDbCheckpointStore on DynamoDB Local', () => {
  test('the children of one worker starting together all prepare the missing tables: one creates, the others wait', async () => {
    // Prepare: as a KCL worker's four children do against an emulator
    const table = `leases-${++n}`;
    const stores = ['0', '1', '2', '3'].map((i) => store(table, 'w', `shardId-00000000000${i}`));
    // Act
    const results = await Promise.allSettled(stores.map((s) => s.prepare()));
    // Assess
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const ttl = await dynamo.client.send(new DescribeTimeToLiveCommand({ TableName: `${table}-agent-states` }));
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toMatch(/ENABL/);
  });

  test('writes checkpoints in the KCL lease-table layout and agent states in their own table', async () => {
    // Prepare
    const table = `leases-${++n}`;
    const s = store(table);
    await s.prepare();
    // Act
    await s.commit({
      agentStates: [{ userCode: 'a', stateCode: 'Break', agentArn: 'arn:a', eventTimeMillis: 5 }],
      checkpoints: [
        { shardId: 'shardId-000000000000', sequenceNumber: '49590338271490256608559692538361571095921575989136588898' },
      ],
    });
    await s.commit({
      agentStates: [],
      checkpoints: [
        { shardId: 'shardId-000000000000', sequenceNumber: '49590338271490256608559692538361571095921575989136588999' },
      ],
    });
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: table, Key: { leaseKey: { S: 'shardId-000000000000' } } }),
    );
    const reopened = store(table);
    // Assess
    expect(Item).toMatchObject({
      leaseKey: { S: 'shardId-000000000000' },
      checkpoint: { S: '49590338271490256608559692538361571095921575989136588999' },
      checkpointSubSequenceNumber: { N: '0' },
      leaseOwner: { S: 'worker-a' },
      leaseCounter: { N: '2' },
    });
    expect((await reopened.loadCheckpoints()).get('shardId-000000000000')?.sequenceNumber).toBe(
      '49590338271490256608559692538361571095921575989136588999',
    );
    expect(await reopened.loadAgentStates()).toEqual([
      { userCode: 'a', stateCode: 'Break', agentArn: 'arn:a', eventTimeMillis: 5 },
    ]);
  });

  test('a KCL child loads only its shard’s agents and its parents’, with login status and unknown outcomes', async () => {
    // Prepare: agents delivered from three shards; shard 2 is the child of shard 0 (its lease names the parent)
    const table = `leases-${++n}`;
    const parent = store(table, 'w', 'shardId-000000000000');
    await parent.prepare();
    await parent.commit({
      agentStates: [
        { userCode: 'p', stateCode: 'LOGGED_OUT', agentArn: 'arn:p', eventTimeMillis: 5, loggedOut: true },
        { userCode: 'moved', stateCode: 'Break', agentArn: 'arn:m', eventTimeMillis: 5 },
      ],
      checkpoints: [],
    });
    await store(table, 'w', 'shardId-000000000001').commit({
      agentStates: [{ userCode: 'other', stateCode: 'Break', agentArn: 'arn:o', eventTimeMillis: 5 }],
      checkpoints: [],
    });
    await store(table, 'w', 'shardId-000000000002').commit({
      agentStates: [
        { userCode: 'moved', stateCode: 'Lunch', agentArn: 'arn:m', eventTimeMillis: 9, uncertain: 'Training' },
      ],
      checkpoints: [],
    });
    await dynamo.client.send(
      new PutItemCommand({
        TableName: table,
        Item: { leaseKey: { S: 'shardId-000000000002' }, parentShardId: { SS: ['shardId-000000000000'] } },
      }),
    );
    // Act
    const loaded = await store(table, 'w', 'shardId-000000000002').loadAgentStates();
    const ttl = await dynamo.client.send(new DescribeTimeToLiveCommand({ TableName: `${table}-agent-states` }));
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: `${table}-agent-states`, Key: { userCode: { S: 'p' } } }),
    );
    // Assess
    expect(loaded.sort((a, b) => a.userCode.localeCompare(b.userCode))).toEqual([
      {
        userCode: 'moved',
        stateCode: 'Lunch',
        agentArn: 'arn:m',
        eventTimeMillis: 9,
        uncertain: 'Training',
        sourceId: 'shardId-000000000002',
      },
      {
        userCode: 'p',
        stateCode: 'LOGGED_OUT',
        agentArn: 'arn:p',
        eventTimeMillis: 5,
        loggedOut: true,
        sourceId: 'shardId-000000000000',
      },
    ]);
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    const expiresAt = Number(Item?.expiresAt?.N);
    expect(expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(expiresAt).toBeLessThan(Date.now() / 1000 + 3700);
  });

  test('writes only advance, by condition: a stale writer re-reads and never moves a checkpoint back', async () => {
    // Prepare: two writers that each believe they know the stored value
    const table = `leases-${++n}`;
    const a = store(table, 'worker-a');
    const b = store(table, 'worker-b');
    await a.prepare();
    await a.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: '100' }] });
    await b.loadCheckpoints();
    // Act: b advances further; a (which still believes 100) tries an older value, then a newer one
    await b.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: '300' }] });
    await a.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: '200' }] });
    const afterStale = (await store(table).loadCheckpoints()).get('s')?.sequenceNumber;
    await a.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: '400' }] });
    await a.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: SHARD_END }] });
    await b.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: '500' }] });
    // Assess
    expect(afterStale).toBe('300');
    expect((await store(table).loadCheckpoints()).get('s')?.sequenceNumber).toBe(SHARD_END);
  });
});
