import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { readRtaConfig } from '../../../common/config/rtaConfig';
import { NonRetryableError, RetryableError } from '../../../common/errors';
import { RtaRejectedError, RtaUnavailableError } from '../../../consumer/src/delivery/errors';
import { RtaClient } from '../../../consumer/src/delivery/RtaClient';
import { INVALID_KEY_MESSAGE, RtaReceiver } from '../../../local/rtaReceiver/RtaReceiver';
import { freePort } from '../../../local/emulators';

const config = (url: string, key = 'k') =>
  readRtaConfig({ WFM_RTA_URL: url, WFM_AUTH_KEY: key, WFM_SOURCE_ID: 'src', RTA_REQUEST_TIMEOUT_MS: '300' });

describe('RtaClient against the Teleopti contract', () => {
  let receiver: RtaReceiver;
  beforeEach(async () => {
    receiver = await RtaReceiver.start({ authKey: 'k', sourceIds: ['src'] });
  });
  afterEach(() => receiver.stop());

  it('posts the documented body to /Rta/State/Batch', async () => {
    const seen: unknown[] = [];
    receiver.on('batch', (b) => seen.push(b));
    await new RtaClient(config(receiver.url)).post({
      states: [{ userCode: 'ann', stateCode: 'Break' }],
      isSnapshot: false,
    });
    expect(seen).toEqual([
      expect.objectContaining({
        sourceId: 'src',
        isSnapshot: false,
        states: [{ UserCode: 'ann', StateCode: 'Break' }],
      }),
    ]);
  });

  it('classifies 400 as non-retryable with Teleopti’s message, and keeps the key out of the error', async () => {
    const error = await new RtaClient(config(receiver.url, 'secret-wrong-key')).probe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtaRejectedError);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toContain(INVALID_KEY_MESSAGE);
    expect(JSON.stringify(error) + (error as Error).message + String((error as Error).stack)).not.toContain(
      'secret-wrong-key',
    );
  });

  it.each([500, 503, 429, 408])('classifies HTTP %i as retryable', async (status) => {
    receiver.injectFaults({ status, count: 1 });
    const error = await new RtaClient(config(receiver.url)).probe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtaUnavailableError);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RtaUnavailableError).status).toBe(status);
  });

  it('classifies a timeout and a refused connection as retryable', async () => {
    receiver.injectFaults({ delayMillis: 800, count: 1 });
    await expect(new RtaClient(config(receiver.url)).probe()).rejects.toBeInstanceOf(RtaUnavailableError);
    const closedPort = await freePort();
    await expect(new RtaClient(config(`http://127.0.0.1:${closedPort}`)).probe()).rejects.toThrow(/unreachable/);
  });

  it('probe() authenticates without changing any agent state', async () => {
    await new RtaClient(config(receiver.url)).probe();
    expect(receiver.currentStates().size).toBe(0);
    expect(receiver.batches).toEqual([expect.objectContaining({ isSnapshot: false, states: [] })]);
  });

  it('verifies TLS certificates: a self-signed server is refused', async () => {
    // A TLS listener with a throwaway self-signed certificate (the one kinesis-local ships for its TLS port).
    const { createServer: createTlsServer } = await import('node:https');
    const { server: tls } = JSON.parse(readFileSync(require.resolve('kinesis-local/server.json'), 'utf8')) as {
      server: { key: string; cert: string };
    };
    const server = createTlsServer({ key: tls.key, cert: tls.cert }, (_, res) => res.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const error = await new RtaClient({ ...config(`https://127.0.0.1:${port}`), url: `https://127.0.0.1:${port}` })
        .probe()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RtaUnavailableError);
      expect((error as Error).message).toMatch(/certificate|self.signed|DEPTH_ZERO|UNABLE_TO_VERIFY/i);
    } finally {
      server.close();
    }
  });

  it('does not follow redirects (a redirect would resend the key elsewhere)', async () => {
    const server = createServer((_, res) => {
      res.writeHead(307, { Location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect(new RtaClient(config(url)).probe()).rejects.toBeInstanceOf(RtaRejectedError);
    } finally {
      server.close();
    }
  });
});

describe('RtaReceiver bookkeeping', () => {
  it('keeps a bounded list of batches while its counters keep counting', async () => {
    const receiver = await RtaReceiver.start({ authKey: 'k', keepBatches: 2 });
    try {
      const client = new RtaClient(config(receiver.url));
      for (let i = 0; i < 5; i++)
        await client.post({ states: [{ userCode: `u${i}`, stateCode: 'Available' }], isSnapshot: false });
      expect(receiver.batches.map((b) => b.states[0]!.UserCode)).toEqual(['u3', 'u4']);
      expect([receiver.totalBatches, receiver.totalStates]).toEqual([5, 5]);
      expect(receiver.currentStates().size).toBe(5);
    } finally {
      await receiver.stop();
    }
  });
});
