import { parseArgs } from 'node:util';
import { createKinesisClient, createS3Client } from '../../common/aws/clients';
import { processEnv } from '../../common/config/env';
import { ConfigError } from '../../common/errors';
import { parseDuration } from '../../simulator/src/parseDuration';
import { runSimulation } from '../../simulator/src/runSimulation';
import { SeededRandom } from '../../simulator/src/SeededRandom';
import { simulate } from '../../simulator/src/simulate';
import { formatStats } from '../../simulator/src/SimulationStats';
import { FileCtrSink } from '../../simulator/src/sinks/FileCtrSink';
import { JsonLinesEventSink } from '../../simulator/src/sinks/JsonLinesEventSink';
import { KinesisEventSink } from '../../simulator/src/sinks/KinesisEventSink';
import { S3CtrSink } from '../../simulator/src/sinks/S3CtrSink';
import type { AgentEventSink, CtrSink } from '../../simulator/src/sinks/types';
import { DEFAULT_CONTACTS_PER_AGENT_HOUR } from '../../simulator/src/types';
import type { Command } from '../command';

const HELP = `usage: connect-wfm simulate [options]

A simulated Amazon Connect instance: agents log in, take voice/chat/task contacts, go on breaks and log out, emitting
agent events (Agent Event Stream format) and contact records (CTR format, Firehose-style objects).

  --agents N             agents (default 20)
  --duration D           simulated span, e.g. 90s, 30m, 8h (default 8h); one shift per agent
  --start ISO            simulated start (default: now); same --seed and --start = identical output
  --seed N               random seed (default 1)
  --rate N               contacts offered per available agent-hour (default ${DEFAULT_CONTACTS_PER_AGENT_HOUR})
  --speed N              simulated seconds per real second; 0 = as fast as possible
                         (default: 1 with --stream, else 0)
  --events FILE          agent events as JSON lines
  --stream NAME          agent events to this Kinesis stream (PutRecords, partition key = AgentARN)
  --kinesis-endpoint URL Kinesis endpoint override (e.g. a local kinesis-mock)
  --ctr-dir DIR          CTRs as Firehose-style object files under DIR
  --ctr-bucket NAME      CTRs as Firehose-style objects to this S3 bucket
  --ctr-prefix P         S3 key prefix for CTR objects (default "ctr/")
  --s3-endpoint URL      S3 endpoint override (e.g. a local s3rver)
  --ctr-buffer D         Firehose buffering interval in simulated time (default 300s)
  --ctr-newline          append a newline to each CTR (Firehose AppendDelimiterToRecord, as infra/terraform sets)
  --region R             AWS region (default AWS_REGION or eu-west-1)
  --stats                print statistics (events per agent-hour, contact mix, ACW share) when done
`;

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'simulate an Amazon Connect instance: agent events to Kinesis/file, CTRs to S3/files',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        agents: { type: 'string', default: '20' },
        duration: { type: 'string', default: '8h' },
        start: { type: 'string' },
        seed: { type: 'string', default: '1' },
        rate: { type: 'string', default: String(DEFAULT_CONTACTS_PER_AGENT_HOUR) },
        speed: { type: 'string' },
        events: { type: 'string' },
        stream: { type: 'string' },
        'kinesis-endpoint': { type: 'string' },
        'ctr-dir': { type: 'string' },
        'ctr-bucket': { type: 'string' },
        'ctr-prefix': { type: 'string', default: 'ctr/' },
        's3-endpoint': { type: 'string' },
        'ctr-buffer': { type: 'string', default: '300s' },
        'ctr-newline': { type: 'boolean', default: false },
        region: { type: 'string' },
        stats: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const number = (name: string, text: string, min: number, max: number): number => {
      const n = Number(text);
      if (!Number.isFinite(n) || n < min || n > max)
        throw new ConfigError(`--${name} must be a number in ${min}..${max}`);
      return n;
    };
    const durationMillis = parseDuration(values.duration);
    if (!durationMillis || durationMillis <= 0) throw new ConfigError('--duration must look like 90s, 30m or 8h');
    const bufferMillis = parseDuration(values['ctr-buffer']);
    if (!bufferMillis) throw new ConfigError('--ctr-buffer must look like 60s or 5m');
    const startMillis = values.start ? Date.parse(values.start) : Math.floor(Date.now() / 1000) * 1000;
    if (Number.isNaN(startMillis)) throw new ConfigError('--start must be an ISO-8601 time');
    const env = processEnv();
    const region = values.region ?? env['AWS_REGION'] ?? 'eu-west-1';
    const seed = Math.trunc(number('seed', values.seed, 0, 2 ** 32 - 1));
    const speed = number('speed', values.speed ?? (values.stream ? '1' : '0'), 0, 1e6);

    let events: AgentEventSink | undefined;
    if (values.events) events = new JsonLinesEventSink(values.events);
    else if (values.stream)
      events = new KinesisEventSink(
        createKinesisClient({ region, endpoint: values['kinesis-endpoint'] ?? env['AWS_ENDPOINT_URL_KINESIS'] }),
        values.stream,
      );
    const bufferOptions = {
      prefix: values['ctr-prefix'],
      deliveryStreamName: 'connect-ctr',
      bufferMillis,
      bufferBytes: 5 * 1024 * 1024,
      delimiter: values['ctr-newline'] ? ('\n' as const) : ('' as const),
      newId: (() => {
        const ids = new SeededRandom(seed ^ 0x5f3759df);
        return () => ids.uuid();
      })(),
    };
    let ctrs: CtrSink | undefined;
    if (values['ctr-dir']) ctrs = new FileCtrSink(values['ctr-dir'], bufferOptions);
    else if (values['ctr-bucket']) {
      const s3 = createS3Client({ region, endpoint: values['s3-endpoint'] ?? env['AWS_ENDPOINT_URL_S3'] });
      ctrs = new S3CtrSink(s3, values['ctr-bucket'], bufferOptions);
    }
    if (!events && !ctrs && !values.stats)
      throw new ConfigError('nothing to do: give --events, --stream, --ctr-dir, --ctr-bucket and/or --stats');

    const simulation = simulate({
      agents: Math.trunc(number('agents', values.agents, 1, 100000)),
      durationMillis,
      startMillis,
      seed,
      contactsPerAgentHour: number('rate', values.rate, 0.01, 1000),
      region,
    });
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const result = await runSimulation({
        outputs: simulation.outputs,
        startMillis,
        speed,
        events,
        ctrs,
        signal: abort.signal,
      });
      if (values.stats) process.stdout.write(formatStats(result.stats.summary()) + '\n');
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await events?.close();
      await ctrs?.close();
    }
  },
};
