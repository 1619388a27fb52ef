import { mkdir, open, readFile, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { NonRetryableError } from '../../../common/errors';
import type { DeliveredState } from '../domain/agentState';
import { advances } from './checkpointOrder';
import { mergeAgentStates } from './mergeAgentStates';
import type { CheckpointCommit, CheckpointStore, ShardCheckpoint } from './types';

interface ProgressFile {
  version: 1;
  checkpoints: Record<string, { sequenceNumber: string; subSequenceNumber: number; updatedAt: string }>;
  agentStates: DeliveredState[];
}

export interface FileCheckpointStoreOptions {
  stateDir: string;
  /** File name inside stateDir; KCL children use one file per shard so they never write the same file. */
  fileName?: string;
  /** Also read agent states from every `*.progress.json` in stateDir (KCL mode: the other shards' children). */
  shareAgentStates?: boolean;
}

export const DEFAULT_PROGRESS_FILE = 'consumer.progress.json';

/**
 * The embedded store: one JSON file holding checkpoints and agent states together, replaced atomically
 * (write a temp file, fsync, rename), so a crash leaves either the old or the new file, never a torn one.
 */
export class FileCheckpointStore implements CheckpointStore {
  private readonly path: string;
  private cache: ProgressFile | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: FileCheckpointStoreOptions) {
    this.path = join(options.stateDir, options.fileName ?? DEFAULT_PROGRESS_FILE);
  }

  async prepare(): Promise<void> {
    await mkdir(this.options.stateDir, { recursive: true });
  }

  async loadCheckpoints(): Promise<Map<string, ShardCheckpoint>> {
    const file = await this.read();
    return new Map(
      Object.entries(file.checkpoints).map(([shardId, c]) => [
        shardId,
        { shardId, sequenceNumber: c.sequenceNumber, subSequenceNumber: c.subSequenceNumber },
      ]),
    );
  }

  async loadAgentStates(): Promise<DeliveredState[]> {
    const merged = new Map<string, DeliveredState>();
    if (this.options.shareAgentStates) {
      const names = await readdir(this.options.stateDir).catch(() => [] as string[]);
      for (const name of names.filter((n) => n.endsWith('.progress.json')))
        mergeAgentStates(merged, (await readProgressFile(join(this.options.stateDir, name))).agentStates);
    }
    mergeAgentStates(merged, (await this.read()).agentStates);
    return [...merged.values()];
  }

  commit(commit: CheckpointCommit): Promise<void> {
    // Serialised: two overlapping commits must not race on the temp file or lose each other's changes.
    const next = this.writing.then(() => this.write(commit));
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async write(commit: CheckpointCommit): Promise<void> {
    const file = structuredClone(await this.read());
    const states = new Map(file.agentStates.map((s) => [s.userCode, s]));
    mergeAgentStates(states, commit.agentStates);
    file.agentStates = [...states.values()];
    const now = new Date().toISOString();
    for (const c of commit.checkpoints) {
      if (advances(file.checkpoints[c.shardId]?.sequenceNumber, c.sequenceNumber))
        file.checkpoints[c.shardId] = { sequenceNumber: c.sequenceNumber, subSequenceNumber: 0, updatedAt: now };
    }
    const temp = `${this.path}.${process.pid}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify(file));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.path);
    this.cache = file;
  }

  private async read(): Promise<ProgressFile> {
    this.cache ??= await readProgressFile(this.path);
    return this.cache;
  }
}

async function readProgressFile(path: string): Promise<ProgressFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, checkpoints: {}, agentStates: [] };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as ProgressFile;
    if (parsed.version !== 1 || typeof parsed.checkpoints !== 'object' || !Array.isArray(parsed.agentStates))
      throw new Error('unexpected shape');
    return parsed;
  } catch (error) {
    // Never silently start over: that would replay 24 h and re-post history. A person must look.
    throw new NonRetryableError(
      `progress file ${path} is unreadable (${(error as Error).message}); move it away to start fresh`,
    );
  }
}
