import type { UserData } from '@aws-sdk/client-connect';
import { deriveStateCode, type StateCodeOptions } from '../domain/deriveStateCode';
import { AgentEventType, type AgentEvent } from '../domain/agentEvent';

/**
 * Connect's current user data as the agent event it corresponds to: `Status.StatusName` is the stream's
 * `AgentStatus.Name`, `NextStatus` its `NextAgentStatus.Name`, each contact's `AgentContactState` its `State`. The
 * state code then comes from the very `deriveStateCode` the stream uses, so a snapshot and the stream never
 * disagree on a code (in `status` and in `contact` mode).
 */
export function userDataAsAgentEvent(data: UserData, username: string, atMillis: number): AgentEvent {
  return {
    AgentARN: data.User?.Arn ?? '',
    EventId: '',
    EventType: AgentEventType.STATE_CHANGE,
    EventTimestamp: new Date(atMillis).toISOString(),
    CurrentAgentSnapshot: {
      AgentStatus: {
        Name: data.Status?.StatusName,
        ARN: data.Status?.StatusArn,
        StartTimestamp: data.Status?.StatusStartTimestamp?.toISOString(),
      },
      NextAgentStatus: data.NextStatus ? { Name: data.NextStatus } : null,
      Configuration: { Username: username },
      Contacts: (data.Contacts ?? []).map((c) => ({
        ContactId: c.ContactId,
        Channel: c.Channel,
        InitiationMethod: c.InitiationMethod,
        State: c.AgentContactState,
        StateStartTimestamp: c.StateStartTimestamp?.toISOString(),
      })),
    },
    PreviousAgentSnapshot: null,
  };
}

export function userDataStateCode(data: UserData, username: string, options: StateCodeOptions): string | undefined {
  return deriveStateCode(userDataAsAgentEvent(data, username, Date.now()), options);
}
