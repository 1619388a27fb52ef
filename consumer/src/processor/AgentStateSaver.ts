import type { Subscription } from 'rxjs';
import { errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import { AgentStateJournal } from '../checkpoint/AgentStateJournal';
import type { CheckpointStore } from '../checkpoint/types';
import type { AgentStatePipeline } from '../pipeline/AgentStatePipeline';
import type { DeliveredState } from '../domain/agentState';

export interface AgentStateSaverOptions {
  pipeline: Pick<AgentStatePipeline, 'acknowledgements$' | 'deliveredStates'>;
  store: CheckpointStore;
  /** What the store held at start (so the first save writes only what changed since). */
  initialDelivered: readonly DeliveredState[];
  logger: Logger;
}

/**
 * Saves the delivered agent states of one pipeline to the checkpoint store: after every delivery (whoever reads a
 * shard next, after a lease loss or a crash, then re-posts nothing WFM already has) and before every checkpoint
 * (a checkpoint never runs ahead of them). One per pipeline: direct mode's shard processors share it, so each agent
 * is written once, not once per shard. Writes run one at a time and carry only the agents changed since the last.
 */
export class AgentStateSaver {
  private readonly journal: AgentStateJournal;
  private chain: Promise<boolean> = Promise.resolve(true);
  /** A save queued behind the running one: callers arriving meanwhile share it (it reads the states when it starts). */
  private queued: Promise<boolean> | undefined;
  private readonly subscription: Subscription;

  constructor(private readonly options: AgentStateSaverOptions) {
    this.journal = new AgentStateJournal(options.initialDelivered);
    this.subscription = options.pipeline.acknowledgements$.subscribe(() => void this.save());
  }

  /** Resolves true once every state delivered before the call is saved; false (logged) when the store failed. */
  save(): Promise<boolean> {
    this.queued ??= this.chain.then(() => {
      this.queued = undefined;
      return this.writeChanged();
    });
    this.chain = this.queued;
    return this.queued;
  }

  /** Resolves once the saves under way are done. */
  async settled(): Promise<void> {
    await this.chain;
  }

  /** No more saves after deliveries (explicit `save` calls still work). */
  stop(): void {
    this.subscription.unsubscribe();
  }

  private async writeChanged(): Promise<boolean> {
    const changed = this.journal.changes(this.options.pipeline.deliveredStates());
    if (changed.length === 0) return true;
    try {
      await this.options.store.commit({ agentStates: changed, checkpoints: [] });
      this.journal.markSaved(changed);
      return true;
    } catch (error) {
      this.options.logger.warn('could not persist agent states; checkpoint postponed', { error: errorMessage(error) });
      return false;
    }
  }
}
