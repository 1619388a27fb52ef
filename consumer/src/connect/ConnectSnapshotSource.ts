import { CONNECT_SOURCE } from '../domain/agentState';
import type { StateCodeOptions } from '../domain/deriveStateCode';
import type { CodedState } from '../delivery/CoalescingDelivery';
import type { ConnectReader } from './ConnectReader';
import { userDataStateCode } from './userDataStateCode';

/** Every logged-in agent's state code as Connect reports it at `takenAtMillis`. */
export interface ConnectSnapshot {
  takenAtMillis: number;
  states: CodedState[];
  /** Connect API calls it took. */
  calls: number;
}

/** Reads Connect and derives each logged-in agent's Teleopti state code (agents without a status are left out). */
export class ConnectSnapshotSource {
  constructor(
    private readonly reader: Pick<ConnectReader, 'currentAgents'>,
    private readonly codes: StateCodeOptions,
  ) {}

  async take(): Promise<ConnectSnapshot> {
    const { takenAtMillis, agents, calls } = await this.reader.currentAgents();
    const states: CodedState[] = [];
    for (const { username, data } of agents) {
      const stateCode = userDataStateCode(data, username, this.codes);
      if (stateCode === undefined || !data.User?.Arn) continue;
      states.push({
        userCode: username,
        stateCode,
        loggedOut: false,
        agentArn: data.User.Arn,
        eventTimeMillis: takenAtMillis,
        sourceId: CONNECT_SOURCE,
        sequenceNumber: '0',
      });
    }
    return { takenAtMillis, states, calls };
  }
}
