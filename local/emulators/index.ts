/**
 * The one library that starts the local AWS stand-ins, for `npm start` (local/stack) and for the tests and
 * benchmarks alike: one starter per service, each on a free loopback port, each a process that ends with its starter.
 */
export { startDynamoDbLocal, type DynamoDbLocal } from './dynamodbLocal';
export { EMULATOR_CREDENTIALS, EMULATOR_REGION, emulatorClientConfig, type RunningEmulator } from './emulatorClient';
export { startFauxqs, type Fauxqs } from './fauxqs';
export { freePort, portOrFree } from './freePort';
export { startKinesisMock, type KinesisMock, type KinesisMockOptions } from './kinesisMock';
export { startS3rver, type S3rver } from './s3rver';
export { httpReady, ServiceProcess, tcpReady } from './serviceProcess';
export { sftpEnv, startSshd, type Sshd, SFTP_TEST_PASSWORD, SFTP_TEST_USER } from './sshd';
