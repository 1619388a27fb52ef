import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A loopback TCP relay in front of a server that can cut the first connection after N client bytes: a network outage
 * in the middle of a transfer, without touching the server.
 */
export interface TcpCutter {
  port: number;
  connections: number;
  /** Cut the next connection once this many bytes went client → server; `onCut` runs at that moment. */
  cutOnce(afterBytes: number, onCut: () => void): void;
  close(): Promise<void>;
}

export async function startTcpCutter(targetPort: number): Promise<TcpCutter> {
  let plan: { afterBytes: number; onCut: () => void } | null = null;
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server: Server = createServer((client) => {
    state.connections++;
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const myPlan = plan;
    plan = null;
    let sent = 0;
    client.on('data', (d: Buffer) => {
      sent += d.length;
      if (myPlan && sent > myPlan.afterBytes) {
        myPlan.onCut();
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(d);
    });
    upstream.pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    get connections() {
      return state.connections;
    },
    cutOnce(afterBytes, onCut) {
      plan = { afterBytes, onCut };
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
