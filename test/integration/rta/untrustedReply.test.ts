import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRtaConfig } from '../../../common/config/rtaConfig';
import { createLogger } from '../../../common/logging/logger';
import { MetricsRegistry } from '../../../common/observability/metrics';
import { RtaRejectedError, RtaUnavailableError } from '../../../consumer/src/delivery/errors';
import { RtaClient } from '../../../consumer/src/delivery/RtaClient';
import { MAX_REPLY_TEXT, untrustedReplyText } from '../../../consumer/src/delivery/untrustedReply';
import { HealthServer } from '../../../consumer/src/observability/HealthServer';
import {
  KclChildStatusWriter,
  kclChildStatusDir,
  kclTaskHealth,
  readKclChildStatuses,
} from '../../../consumer/src/observability/kclChildStatus';
import { AgentStatePipeline } from '../../../consumer/src/pipeline/AgentStatePipeline';
import { RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { agentEvent, sequenceNumber } from '../../helpers/agentEvents';

// JSON-escaped and URL-encoded forms differ from the raw key: all of them must stay out.
const KEY = 'Sup3r"Secret\\Key-ü-7f3a9c';
const SOURCE = 'connect';
const forms = [KEY, JSON.stringify(KEY).slice(1, -1), encodeURIComponent(KEY)];
const leaks = (text: string): string[] => forms.filter((f) => text.includes(f));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WFM reply text is untrusted (a proxy echoing the request body)', () => {
  let receiver: RtaReceiver;
  beforeEach(async () => {
    receiver = await RtaReceiver.start({ authKey: KEY, sourceIds: [SOURCE] });
  });
  afterEach(() => receiver.stop());
  const rta = () =>
    readRtaConfig({
      WFM_RTA_URL: receiver.url,
      WFM_AUTH_KEY: KEY,
      WFM_SOURCE_ID: SOURCE,
      RTA_RETRY_BASE_MS: '5',
      RTA_RETRY_MAX_MS: '20',
    });

  it.each([400, 502])('an echoed body answered with HTTP %i reaches the error redacted and capped', async (status) => {
    // Prepare: a large batch, so the echo is long
    receiver.injectFaults({ status, echoBody: true, count: 1 });
    const states = Array.from({ length: 200 }, (_, i) => ({ userCode: `agent.${i}`, stateCode: 'Available' }));

    // Act
    const error = (await new RtaClient(rta()).post({ states, isSnapshot: false }).catch((e: unknown) => e)) as Error;

    // Assess
    expect(error).toBeInstanceOf(status === 400 ? RtaRejectedError : RtaUnavailableError);
    expect(leaks(error.message + String(error.stack) + JSON.stringify(error))).toEqual([]);
    expect(error.message).toContain('[redacted]');
    expect(error.message.length).toBeLessThanOrEqual(MAX_REPLY_TEXT + 80);
  });

  it('keeps the key out of logs and out of /healthz and the KCL status files, which carry no reply text at all', async () => {
    // Prepare: every post is answered 400 with the echoed body
    receiver.injectFaults({ status: 400, echoBody: true, count: 1000 });
    const lines: string[] = [];
    const pipeline = new AgentStatePipeline({
      rta: rta(),
      pipeline: { windowMillis: 20, catchUpThresholdMillis: 60_000 },
      delivery: new RtaClient(rta()),
      logger: createLogger({ sink: (l) => lines.push(l), level: 'debug' }),
      metrics: new MetricsRegistry(),
    });
    const stateDir = mkdtempSync(join(tmpdir(), 'cwfm-reply-'));
    const health = await HealthServer.start({
      port: 0,
      host: '127.0.0.1',
      series: () => [],
      health: () => pipeline.health(),
    });
    try {
      // Act
      pipeline.push({
        sourceId: 'shard-0',
        sequenceNumber: sequenceNumber(1),
        data: Buffer.from(JSON.stringify(agentEvent({ agent: 1, status: 'Available' }))),
      });
      for (let i = 0; i < 200 && pipeline.health().healthy; i++) await sleep(10);
      const healthz = await (await fetch(`http://127.0.0.1:${health.port}/healthz`)).text();
      const writer = new KclChildStatusWriter(
        kclChildStatusDir(stateDir),
        () => ({ shardId: 'shard-0', lastBatchAt: Date.now(), wfm: pipeline.health() }),
        new MetricsRegistry(),
      );
      const statusFiles = readdirSync(kclChildStatusDir(stateDir)).map((f) =>
        readFileSync(join(kclChildStatusDir(stateDir), f), 'utf8'),
      );
      const monitor = JSON.stringify(kclTaskHealth(readKclChildStatuses(kclChildStatusDir(stateDir)), Date.now()));
      writer.stop();

      // Assess
      expect(receiver.rejections.length).toBeGreaterThan(0);
      expect(JSON.parse(healthz)).toMatchObject({ status: 'unavailable', rejected: true });
      expect(lines.length).toBeGreaterThan(0);
      for (const text of [healthz, ...statusFiles, monitor, ...lines]) expect(leaks(text)).toEqual([]);
      // Unauthenticated endpoints: the status, never WFM's words (an echo carries the request's other fields too).
      for (const text of [healthz, ...statusFiles, monitor]) {
        expect(text).toContain('HTTP 400');
        expect(text).not.toMatch(/SourceId|AuthenticationKey|redacted|agent\.1/);
      }
    } finally {
      pipeline.abort();
      await health.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('untrustedReplyText', () => {
  it("takes Teleopti's Message, or the text, and redacts secret-looking values as well as the key", () => {
    expect(untrustedReplyText({ Message: 'You supplied an invalid authentication key.' }, [KEY])).toBe(
      'You supplied an invalid authentication key.',
    );
    expect(
      untrustedReplyText(
        'upstream said: {"AuthenticationKey":"another-key-123","password": "hunter2"} Authorization: Bearer abc.def token=xyz&x=1',
        [KEY],
      ),
    ).toBe(
      'upstream said: {"AuthenticationKey":"[redacted]","password": "[redacted]"} Authorization: [redacted] token=[redacted]&x=1',
    );
    expect(untrustedReplyText(`key was ${KEY} and ${encodeURIComponent(KEY)}`, [KEY])).toBe(
      'key was [redacted] and [redacted]',
    );
    expect(untrustedReplyText('', [KEY])).toBe('(no message)');
    expect(untrustedReplyText({ other: 1 }, [KEY])).toBe('(no message)');
  });

  it('strips control and bidirectional-override characters and caps the length', () => {
    expect(untrustedReplyText('bad\u001b[31m\r\nline\u0000two\u202eevil', [])).toBe('bad [31m line two evil');
    const long = untrustedReplyText('x'.repeat(10_000), []);
    expect(long.length).toBe(MAX_REPLY_TEXT);
    expect(long.endsWith('…')).toBe(true);
  });
});
