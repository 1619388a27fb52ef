import { createConnectClient, createDynamoDbClient, createKinesisClient } from '../../common/aws/clients';
import { readCheckpointConfig } from '../../common/config/checkpointConfig';
import { readConnectConfig } from '../../common/config/connectConfig';
import type { Env } from '../../common/config/env';
import { readKinesisConfig } from '../../common/config/kinesisConfig';
import { readOpsConfig } from '../../common/config/opsConfig';
import { readPipelineConfig } from '../../common/config/pipelineConfig';
import { readRtaConfig } from '../../common/config/rtaConfig';
import { readTransferConfig } from '../../common/config/transferConfig';
import { errorMessage } from '../../common/errors';
import { createAwsClients } from '../../processors/transfer/src/awsClients';
import { resolveSftpCredentials } from '../../processors/transfer/src/sftp/resolveSftpCredentials';
import { type CheckResult, fail, pass, skip } from './CheckResult';
import { checkConnectInstance } from './checks/checkConnectInstance';
import { checkDynamoDbTables, type TableSpec } from './checks/checkDynamoDbTables';
import { checkKinesisStream } from './checks/checkKinesisStream';
import { checkRtaEndpoint } from './checks/checkRtaEndpoint';
import { checkSecrets } from './checks/checkSecrets';
import { checkSftp } from './checks/checkSftp';
import { checkSqsQueue } from './checks/checkSqsQueue';

export interface DoctorOptions {
  /** Budget per check; a check still running then is a FAIL (never a hang). */
  timeoutMillis?: number;
}

/** Variables that mean "this environment runs the historical-feed transfer". */
const TRANSFER_VARIABLES = ['SFTP_HOST', 'SFTP_SECRET_ARN', 'SFTP_HOST_KEY_SHA256', 'DEDUP_TABLE', 'QUEUE_URL'];

/** Reads one config section; a ConfigError becomes a FAIL line naming every bad variable. */
function section<T>(name: string, read: () => T, results: CheckResult[]): T | undefined {
  try {
    return read();
  } catch (error) {
    results.push(
      fail(
        'configuration',
        `${name}: ${errorMessage(error)}`,
        'fix the variables named above (docs/doctor.md lists them)',
      ),
    );
    return undefined;
  }
}

function withTimeout(check: string, millis: number, work: Promise<CheckResult[]>): Promise<CheckResult[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult[]>((resolve) => {
    timer = setTimeout(
      () =>
        resolve([
          fail(
            check,
            `no answer within ${millis / 1000} s`,
            'check network access to the endpoint (firewall, proxy, VPC endpoints)',
          ),
        ]),
      millis,
    );
  });
  return Promise.race([
    work.catch((e: unknown) => [fail(check, `check crashed: ${errorMessage(e)}`, 'report this as a bug')]),
    timeout,
  ]).finally(() => clearTimeout(timer));
}

/**
 * Every check `connect-wfm doctor` runs, for the configuration in `env`: the configuration itself, then each
 * connection the deployment needs, in parallel. Never throws; never changes data (the RTA probe changes no agent
 * state, the SFTP probe file is removed again).
 */
export async function runDoctor(env: Env, options: DoctorOptions = {}): Promise<CheckResult[]> {
  const timeout = options.timeoutMillis ?? 20000;
  const config: CheckResult[] = [];
  const rta = section('WFM RTA', () => readRtaConfig(env), config);
  const kinesis = section('Kinesis', () => readKinesisConfig(env), config);
  const checkpoint = section('checkpoints', () => readCheckpointConfig(env), config);
  section('pipeline', () => readPipelineConfig(env), config);
  section('operations', () => readOpsConfig(env), config);
  const connect = section('Amazon Connect', () => readConnectConfig(env), config);
  const transferWanted = TRANSFER_VARIABLES.some((v) => (env[v] ?? '').trim() !== '');
  const transfer = transferWanted ? section('historical feed', () => readTransferConfig(env), config) : undefined;
  if (config.length === 0)
    config.push(
      pass(
        'configuration',
        `all settings valid${transferWanted ? ' (RTA feed and historical feed)' : ' (RTA feed; historical feed not configured)'}`,
      ),
    );

  const kinesisClient = kinesis?.streamName
    ? createKinesisClient({ region: kinesis.region, endpoint: kinesis.endpoint })
    : undefined;
  const dynamodb = checkpoint
    ? createDynamoDbClient({ region: checkpoint.region, endpoint: checkpoint.endpoint })
    : undefined;
  const aws = transfer ? createAwsClients(transfer.endpoints) : undefined;
  const connectClient = connect?.instanceId
    ? createConnectClient({ region: connect.region, endpoint: connect.endpoint })
    : undefined;
  try {
    const extraTables: TableSpec[] = transfer?.dedupTable
      ? [{ role: 'de-duplication table (DEDUP_TABLE)', name: transfer.dedupTable, hashKey: 'contactId' }]
      : [];
    const checks: Promise<CheckResult[]>[] = [
      kinesis && kinesisClient
        ? withTimeout('kinesis stream', timeout, checkKinesisStream(kinesis, kinesisClient))
        : Promise.resolve(
            kinesis
              ? [
                  skip(
                    'kinesis stream',
                    'KINESIS_STREAM_NAME / KINESIS_STREAM_ARN not set: the RTA feed is not configured here',
                  ),
                ]
              : [],
          ),
      checkpoint && dynamodb
        ? withTimeout('dynamodb table', timeout, checkDynamoDbTables(checkpoint, extraTables, dynamodb))
        : Promise.resolve([]),
      rta
        ? withTimeout(
            'wfm rta endpoint',
            timeout,
            checkRtaEndpoint(rta).then((r) => [r]),
          )
        : Promise.resolve([]),
      connect && connectClient
        ? withTimeout(
            'amazon connect',
            timeout,
            checkConnectInstance(connect, connectClient).then((r) => [r]),
          )
        : Promise.resolve([
            skip(
              'amazon connect',
              'CONNECT_INSTANCE_ID not set: states come from the event stream only (no snapshot at first start, no reconciliation)',
            ),
          ]),
      transfer && aws
        ? withTimeout(
            'secrets manager',
            timeout,
            checkSecrets(
              transfer.sftp.secretArn
                ? [
                    {
                      variable: 'SFTP_SECRET_ARN',
                      arn: transfer.sftp.secretArn,
                      requiredAnyOf: transfer.sftp.username
                        ? [['password', 'privateKey']]
                        : [['username'], ['password', 'privateKey']],
                    },
                  ]
                : [],
              aws.secretsManager,
            ),
          )
        : Promise.resolve([skip('secrets manager', 'no secret configured (historical feed not configured here)')]),
      transfer?.queueUrl && aws
        ? withTimeout(
            'sqs queue',
            timeout,
            checkSqsQueue(transfer.queueUrl, aws.sqs).then((r) => [r]),
          )
        : Promise.resolve([]),
      transfer && aws
        ? withTimeout(
            'sftp',
            timeout,
            checkSftp(transfer.sftp, () => resolveSftpCredentials(transfer.sftp, aws.secretsManager)).then((r) => [r]),
          )
        : Promise.resolve([
            skip(
              'sftp',
              'SFTP_HOST not set: the historical feed is not configured here',
              'set SFTP_HOST, SFTP_HOST_KEY_SHA256 and the credentials to check it',
            ),
          ]),
    ];
    return [...config, ...(await Promise.all(checks)).flat()];
  } finally {
    kinesisClient?.destroy();
    dynamodb?.destroy();
    connectClient?.destroy();
    if (aws) for (const c of Object.values(aws)) c.destroy();
  }
}

/** 0 when nothing failed (SKIP = not configured here); with `strict`, a SKIP fails too. */
export const exitCodeOf = (results: readonly CheckResult[], strict = false): number =>
  results.some((r) => r.status === 'FAIL' || (strict && r.status === 'SKIP')) ? 1 : 0;
