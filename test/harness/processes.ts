import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, closeSync, mkdtempSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A server process started by a test; `stop()` kills its whole process group (child JVMs included). */
export interface RunningProcess {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  /** The process's combined stdout/stderr so far: attach to failures. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Resolves true once the server answers; polled every 50 ms. */
  ready: () => Promise<boolean>;
  readyTimeoutMillis?: number;
}

export async function startProcess(options: StartOptions): Promise<RunningProcess> {
  const dir = mkdtempSync(join(tmpdir(), `cwfm-${options.name}-`));
  const logFile = join(dir, 'process.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(options.command, options.args, {
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const log = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    if (exited || child.pid === undefined) return;
    const exit = once(child, 'exit');
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.readyTimeoutMillis ?? 30000);
  for (;;) {
    if (exited) throw new Error(`${options.name} exited before it was ready:\n${log()}`);
    if (await options.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} was not ready in time:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name: options.name, process: child, logFile, log, stop };
}

/** Readiness probe: any HTTP answer (or only 2xx when `okOnly`). */
export const httpReady =
  (url: string, okOnly = false) =>
  async (): Promise<boolean> => {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return okOnly ? res.ok : true;
  };

/** Readiness probe: a TCP connect succeeds. */
export const tcpReady =
  (port: number, host = '127.0.0.1') =>
  (): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = new Socket();
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('error', () => done(false));
      socket.connect(port, host, () => done(true));
    });
