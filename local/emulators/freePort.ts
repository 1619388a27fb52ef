import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const FLOOR = 10000;
const handedOut = new Set<number>();

/**
 * A free port for a server about to be started (often another process that binds it seconds later); tests run
 * in parallel workers, next to other suites, so never hard-code emulator ports.
 *
 * Not from the kernel's ephemeral range: a port that listen(0) handed out and the probe closed again can be handed
 * to any other process's listen(0) or outgoing connection before the emulator binds it. The kernel never hands
 * out ports below that range, so a random one there that can be bound now stays free unless another caller picks
 * the same one in the same moment; this process never hands out the same port twice.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  if (low - FLOOR < 1000) return listenZero();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = FLOOR + Math.floor(Math.random() * (low - FLOOR));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found between ${FLOOR} and ${low}`);
}

/** The first port of the kernel's ephemeral range (Linux); elsewhere the IANA dynamic range's. */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 49152;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function listenZero(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `preferred` when it can be bound on 127.0.0.1 now (the ports `npm start` prints), else a free port. */
export async function portOrFree(preferred: number): Promise<number> {
  if (preferred !== 0 && (await canListen(preferred))) return preferred;
  return freePort();
}
