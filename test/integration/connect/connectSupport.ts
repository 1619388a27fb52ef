import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceivedBatch, RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import type { FakeConnectApi } from '../../../local/connectApi/FakeConnectApi';
import { TEST_INSTANCE_ID } from '../../helpers/connectInstance';
import { type ConsumerProcess, startConsumer } from '../consumer/directConsumerSupport';

export const AUTH_KEY = 'connect-truth-key';

/** `connect-wfm consume` on the file store, reading `stream` and Amazon Connect from the fake. */
export function consumerWithConnect(
  cli: string,
  stream: string,
  kinesisEndpoint: string,
  receiver: RtaReceiver,
  connect: FakeConnectApi,
  env: Record<string, string> = {},
): ConsumerProcess {
  return startConsumer(cli, {
    KINESIS_STREAM_NAME: stream,
    AWS_ENDPOINT_URL_KINESIS: kinesisEndpoint,
    STATE_DIR: mkdtempSync(join(tmpdir(), 'cwfm-connect-')),
    WFM_RTA_URL: receiver.url,
    WFM_AUTH_KEY: AUTH_KEY,
    CONNECT_INSTANCE_ID: TEST_INSTANCE_ID,
    AWS_ENDPOINT_URL_CONNECT: connect.url,
    CONNECT_RECONCILE_INTERVAL_MS: '0',
    ...env,
  });
}

export const statesOf = (batch: ReceivedBatch | undefined): Map<string, string> =>
  new Map(batch?.states.map((s) => [s.UserCode, s.StateCode]));
