import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { startDynamoDbLocal, startKinesisMock } from '../../../local/emulators';

describe('test harness emulators', () => {
  it('starts DynamoDB Local, serves a table, and stops without leaving the JVM behind', async () => {
    const ddb = await startDynamoDbLocal();
    try {
      await ddb.client.send(
        new CreateTableCommand({
          TableName: 'harness-check',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
        }),
      );
      const d = await ddb.client.send(new DescribeTableCommand({ TableName: 'harness-check' }));
      expect(d.Table?.TableStatus).toBe('ACTIVE');
    } finally {
      await ddb.stop();
    }
    expect(() => process.kill(ddb.server.child.pid!, 0)).toThrow();
  });

  it('starts kinesis-mock and creates a 2-shard stream over HTTP/1.1', async () => {
    const k = await startKinesisMock();
    try {
      await k.client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 2 }));
      let status = '';
      for (let i = 0; i < 100 && status !== 'ACTIVE'; i++) {
        const d = await k.client.send(new DescribeStreamSummaryCommand({ StreamName: 's' }));
        status = d.StreamDescriptionSummary?.StreamStatus ?? '';
        if (status !== 'ACTIVE') await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe('ACTIVE');
    } finally {
      await k.stop();
    }
  });
});
