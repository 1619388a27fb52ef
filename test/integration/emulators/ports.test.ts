import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from '../../../local/emulators';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe('freePort', () => {
  it('hands out ports below the kernel ephemeral range, never the same one twice, each bindable', async () => {
    // Act
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    // Assess: no listen(0) or outgoing connection of another process can be given one of these meanwhile
    expect(ports.every((p) => p >= 10000 && p < ephemeralLow)).toBe(true);
    expect(new Set(ports).size).toBe(ports.length);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', () => resolve());
    });
    await new Promise((r) => server.close(r));
  });
});
