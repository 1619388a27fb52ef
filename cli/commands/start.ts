import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLocalStackSettings } from '../../common/config/localStackConfig';
import { LOCAL_AUTH_KEY, LOCAL_RTA_PORT } from '../../common/config/rtaConfig';
import { ConfigError } from '../../common/errors';
import { createLogger } from '../../common/logging/logger';
import {
  formatStatus,
  LOCAL_BUCKET,
  LOCAL_CONNECT_INSTANCE,
  LOCAL_SOURCE_ID,
  LOCAL_STREAM,
  LocalStack,
  SFTP_REMOTE_DIR,
  SFTP_USER,
} from '../../local/stack/LocalStack';
import { parseDuration } from '../../simulator/src/parseDuration';
import type { Command } from '../command';

const HELP = `usage: connect-wfm start [options]   (npm start)

Runs the whole integration locally, no AWS account needed: kinesis-mock, a simulated Amazon Connect instance (its
events on the stream, its current agent states through a local Connect API), the consumer (direct mode), a Teleopti-compatible RTA receiver, the historical feed (CTRs -> local S3 -> transfer ->
local SFTP) and a live board. Ctrl-C stops everything.

  --agents N        simulated agents (default 25)
  --speed N         simulated seconds per real second (default 60)
  --duration D      simulated shift span before a new day starts (default 8h)
  --seed N          simulator seed (default 1)
  --rate N          contacts per available agent-hour (default 9)
  --shards N        shards of the local stream (default 2)
  --board-port N    board port (default 8086; 0 = any free port; a busy port falls back to a free one)
  --rta-port N      RTA receiver port (default ${LOCAL_RTA_PORT}; same rules)
  --state-dir DIR   emulator data, CSV files and logs; wiped at start (default .state/local)
  --for D           stop by itself after D (e.g. 60s); default: run until Ctrl-C
`;

export const startCommand: Command = {
  name: 'start',
  summary: 'run everything locally (simulator, kinesis-mock, consumer, RTA receiver, S3->SFTP feed) with a live board',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        agents: { type: 'string', default: '25' },
        speed: { type: 'string', default: '60' },
        duration: { type: 'string', default: '8h' },
        seed: { type: 'string', default: '1' },
        rate: { type: 'string', default: '9' },
        shards: { type: 'string', default: '2' },
        'board-port': { type: 'string', default: '8086' },
        'rta-port': { type: 'string', default: String(LOCAL_RTA_PORT) },
        'state-dir': { type: 'string', default: join('.state', 'local') },
        for: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const int = (name: string, text: string, min: number, max: number): number => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < min || n > max)
        throw new ConfigError(`--${name} must be a whole number in ${min}..${max}`);
      return n;
    };
    const positive = (name: string, text: string): number => {
      const n = Number(text);
      if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`--${name} must be a positive number`);
      return n;
    };
    const durationMillis = parseDuration(values.duration);
    if (!durationMillis) throw new ConfigError('--duration must look like 30m or 8h');
    const forMillis = values.for === undefined ? undefined : parseDuration(values.for);
    if (values.for !== undefined && !forMillis) throw new ConfigError('--for must look like 60s or 5m');
    const settings = readLocalStackSettings();
    const logger = createLogger({ level: settings.logLevel });
    const out = (line: string) => process.stdout.write(line + '\n');

    out('connect-wfm: starting the local stack…');
    const stack = await LocalStack.start({
      stateDir: values['state-dir'],
      cliScript: join(__dirname, '..', 'main.js'),
      agents: int('agents', values.agents, 1, 5000),
      speed: positive('speed', values.speed),
      durationMillis,
      seed: int('seed', values.seed, 0, 2 ** 31),
      contactsPerAgentHour: positive('rate', values.rate),
      shards: int('shards', values.shards, 1, 64),
      rtaPort: int('rta-port', values['rta-port'], 0, 65535),
      boardPort: int('board-port', values['board-port'], 0, 65535),
      ctrBufferMillis: 300_000,
      windowMillis: 1000,
      consumerSettings: settings.consumerSettings,
      logger,
    });
    out('');
    out(`  board         ${stack.boardUrl}`);
    out(`  RTA receiver  ${stack.receiver.url}/Rta/State/Batch  (key ${LOCAL_AUTH_KEY}, source ${LOCAL_SOURCE_ID})`);
    out(`  Kinesis       ${stack.kinesisEndpoint}  stream ${LOCAL_STREAM}`);
    out(`  Connect API   ${stack.connectApi.url}  instance ${LOCAL_CONNECT_INSTANCE}  (current agent states)`);
    out(`  S3            ${stack.s3Endpoint}  bucket ${LOCAL_BUCKET}`);
    out(
      `  SFTP          sftp://${SFTP_USER}@127.0.0.1:${stack.sftp.port}${SFTP_REMOTE_DIR}  host key ${stack.sftp.hostKeyFingerprint}`,
    );
    out(`  files, logs   ${values['state-dir']}/`);
    out(`  doctor        node --env-file=${stack.doctorEnvFile} ${process.argv[1] ?? 'dist/cli/main.js'} doctor`);
    out('');
    out('Ctrl-C stops everything.');

    const tty = process.stdout.isTTY === true;
    let lastPrinted = 0;
    const ticker = setInterval(() => {
      const line = formatStatus(stack.status());
      if (tty) process.stdout.write(`\r\x1b[2K${line}`);
      else if (Date.now() - lastPrinted >= 5000) {
        lastPrinted = Date.now();
        out(line);
      }
    }, 1000);

    await new Promise<void>((resolve) => {
      const timer = forMillis ? setTimeout(resolve, forMillis) : undefined;
      const onSignal = () => {
        clearTimeout(timer);
        resolve();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    });
    clearInterval(ticker);
    if (tty) process.stdout.write('\n');
    out('connect-wfm: stopping…');
    // A second Ctrl-C while stopping leaves at once; the children notice their parent is gone and exit too.
    const force = () => process.exit(130);
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    await stack.stop();
    const s = stack.status();
    out(
      `connect-wfm: stopped. ${s.eventsSent} agent events sent, ${s.posts} posts (${s.statesPosted} states) accepted by the receiver, ${s.csvFiles} CSV files delivered by SFTP.`,
    );
    return 0;
  },
};
