import { createServer } from 'node:net';

/** `preferred` when it can be bound on 127.0.0.1, else any free port (0 always means any). */
export function portOrFree(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (preferred !== 0 && e.code === 'EADDRINUSE') resolve(portOrFree(0));
      else reject(e);
    });
    server.listen(preferred, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
