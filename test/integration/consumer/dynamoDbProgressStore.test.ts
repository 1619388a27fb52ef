import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbProgressStore } from '../../../consumer/src/checkpoint/DynamoDbProgressStore';
import { SHARD_END } from '../../../consumer/src/checkpoint/types';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../harness/dynamodbLocal';

let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
}, 120000);
afterAll(() => dynamo?.stop());

let n = 0;
function store(table: string, workerId = 'worker-a'): DynamoDbProgressStore {
  return new DynamoDbProgressStore({
    client: dynamo.client,
    leaseTable: table,
    agentStateTable: `${table}-agent-states`,
    workerId,
    createTables: true,
  });
}

describe('DynamoDbProgressStore on DynamoDB Local', () => {
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
