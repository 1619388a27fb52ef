import type { ConnectClient } from '@aws-sdk/client-connect';
import type { ConnectConfig } from '../../../common/config/connectConfig';
import { type CheckResult, fail, pass } from '../CheckResult';
import { describeAwsError, remedyFor } from '../describeAwsError';

const CONNECT_ACTIONS = 'connect:ListRoutingProfiles, connect:GetCurrentUserData and connect:ListUsers';

/**
 * The Amazon Connect instance the consumer reads current agent states from: one read-only call
 * (ListRoutingProfiles, one result) proves the instance, the Region, the credentials and the permission.
 */
export async function checkConnectInstance(config: ConnectConfig, client: ConnectClient): Promise<CheckResult> {
  const { ListRoutingProfilesCommand } = await import('@aws-sdk/client-connect');
  try {
    const out = await client.send(new ListRoutingProfilesCommand({ InstanceId: config.instanceId, MaxResults: 1 }));
    const some = (out.RoutingProfileSummaryList ?? []).length > 0;
    return pass(
      'amazon connect',
      `instance ${config.instanceId} readable (${some ? 'routing profiles listed' : 'no routing profile yet'}); ` +
        `snapshots at first start, reconciliation every ${config.reconcileIntervalMillis / 1000 || 'never'}${config.reconcileIntervalMillis ? ' s' : ''}`,
    );
  } catch (error) {
    const f = describeAwsError(error);
    return fail(
      'amazon connect',
      `instance ${config.instanceId}: ${f.message}`,
      remedyFor(f, CONNECT_ACTIONS, 'check CONNECT_INSTANCE_ID / CONNECT_INSTANCE_ARN and AWS_REGION'),
    );
  }
}
