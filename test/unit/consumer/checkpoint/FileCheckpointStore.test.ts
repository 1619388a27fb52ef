import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NonRetryableError } from '../../../../common/errors';
import { FileCheckpointStore } from '../../../../consumer/src/checkpoint/FileCheckpointStore';
import { SHARD_END } from '../../../../consumer/src/checkpoint/types';

const dir = () => mkdtempSync(join(tmpdir(), 'cwfm-store-'));
const state = (userCode: string, stateCode: string, eventTimeMillis: number) => ({
  userCode,
  stateCode,
  agentArn: `arn:${userCode}`,
  eventTimeMillis,
});

describe('FileCheckpointStore', () => {
  test('checkpoints and agent states survive a new instance (a restart)', async () => {
    // Prepare
    const stateDir = dir();
    const store = new FileCheckpointStore({ stateDir });
    await store.prepare();
    // Act
    await store.commit({
      agentStates: [state('a', 'Available', 1)],
      checkpoints: [{ shardId: 's-0', sequenceNumber: '100' }],
    });
    await store.commit({
      agentStates: [state('a', 'Break', 2), state('b', 'Lunch', 2)],
      checkpoints: [{ shardId: 's-1', sequenceNumber: '7' }],
    });
    const reopened = new FileCheckpointStore({ stateDir });
    // Assess
    expect([...(await reopened.loadCheckpoints()).entries()]).toEqual([
      ['s-0', { shardId: 's-0', sequenceNumber: '100', subSequenceNumber: 0 }],
      ['s-1', { shardId: 's-1', sequenceNumber: '7', subSequenceNumber: 0 }],
    ]);
    expect((await reopened.loadAgentStates()).map((s) => [s.userCode, s.stateCode]).sort()).toEqual([
      ['a', 'Break'],
      ['b', 'Lunch'],
    ]);
    expect(readdirSync(stateDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a checkpoint only advances: older numbers (compared as numbers, not text) and anything after SHARD_END are ignored', async () => {
    // Prepare
    const store = new FileCheckpointStore({ stateDir: dir() });
    await store.prepare();
    // Act
    await store.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: '99' }] });
    await store.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: '100' }] });
    await store.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: '99' }] });
    const afterRegress = (await store.loadCheckpoints()).get('s')?.sequenceNumber;
    await store.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: SHARD_END }] });
    await store.commit({ agentStates: [], checkpoints: [{ shardId: 's', sequenceNumber: '500' }] });
    // Assess
    expect(afterRegress).toBe('100');
    expect((await store.loadCheckpoints()).get('s')?.sequenceNumber).toBe(SHARD_END);
  });

  test('an older agent state never replaces a newer one; KCL children share agent states through their files', async () => {
    // Prepare
    const stateDir = dir();
    const shard0 = new FileCheckpointStore({ stateDir, fileName: 'kcl-0.progress.json', shareAgentStates: true });
    const shard1 = new FileCheckpointStore({ stateDir, fileName: 'kcl-1.progress.json', shareAgentStates: true });
    // Act
    await shard0.commit({ agentStates: [state('a', 'Available', 10), state('b', 'Break', 10)], checkpoints: [] });
    await shard1.commit({ agentStates: [state('a', 'Lunch', 20), state('b', 'Old', 5)], checkpoints: [] });
    const seenByNewChild = await new FileCheckpointStore({
      stateDir,
      fileName: 'kcl-2.progress.json',
      shareAgentStates: true,
    }).loadAgentStates();
    // Assess
    expect(new Map(seenByNewChild.map((s) => [s.userCode, s.stateCode]))).toEqual(
      new Map([
        ['a', 'Lunch'],
        ['b', 'Break'],
      ]),
    );
  });

  test('an unreadable file stops the start instead of silently replaying 24 hours', async () => {
    // Prepare
    const stateDir = dir();
    writeFileSync(join(stateDir, 'consumer.progress.json'), '{"version":1,"checkp');
    // Act
    const loading = new FileCheckpointStore({ stateDir }).loadCheckpoints();
    // Assess
    await expect(loading).rejects.toBeInstanceOf(NonRetryableError);
  });
});
