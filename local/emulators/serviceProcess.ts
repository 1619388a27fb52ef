import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processEnv } from '../../common/config/env';

/**
 * Loaded into every Node.js child (`node --import`): if its starter dies without cleaning up (SIGKILL of `npm start`
 * or of a jest worker), the child sees its parent change and terminates itself, so no emulator or consumer outlives
 * it. The parent's pid is written in by the parent: a child that read `process.ppid` itself would, when started
 * slowly (a loaded machine), read the pid it was re-parented to after the parent had already died, and never notice.
 * It checks at once, then every 500 ms; SIGTERM lets the child shut down in order, and a hard exit follows 5 s later.
 */
export function exitWithParentImport(parentPid: number): string {
  if (!Number.isSafeInteger(parentPid) || parentPid <= 0) throw new Error(`not a pid: ${parentPid}`);
  const watchdog = `const parent = ${parentPid};
const check = () => {
  if (process.ppid === parent) return;
  clearInterval(timer);
  setTimeout(() => process.exit(1), 5000).unref();
  process.kill(process.pid, "SIGTERM");
};
const timer = setInterval(check, 500).unref();
check();`;
  return 'data:text/javascript,' + encodeURIComponent(watchdog);
}

export interface ServiceOptions {
  name: string;
  /** An executable, or a Node.js script (`.js`/`.ts` path) that runs under this process's node with the watchdog. */
  command: string;
  args?: string[];
  /** Node.js flags before a script (e.g. a larger heap). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Where stdout and stderr go; a fresh temporary file when omitted. */
  logFile?: string;
  /** Resolves true once the service answers; polled every 50 ms. */
  ready: () => Promise<boolean>;
  readyTimeoutMillis?: number;
}

/**
 * A child process of the local stack or of a test (an emulator, sshd, the consumer), its output in a log file. It runs
 * in its own process group, so `stop()` also ends what it started (DynamoDB Local's JVM, sshd's sessions).
 */
export class ServiceProcess {
  private exited = false;
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    child.once('exit', () => (this.exited = true));
  }

  static async start(options: ServiceOptions): Promise<ServiceProcess> {
    const logFile = options.logFile ?? join(mkdtempSync(join(tmpdir(), `cwfm-${options.name}-`)), 'process.log');
    const fd = openSync(logFile, 'a');
    const script = /\.[cm]?[jt]s$/.test(options.command);
    const child = spawn(
      script ? process.execPath : options.command,
      script
        ? [
            ...(options.nodeArgs ?? []),
            '--import',
            exitWithParentImport(process.pid),
            options.command,
            ...(options.args ?? []),
          ]
        : (options.args ?? []),
      { env: { ...processEnv(), ...options.env }, cwd: options.cwd, stdio: ['ignore', fd, fd], detached: true },
    );
    closeSync(fd);
    const service = new ServiceProcess(options.name, child, logFile);
    const deadline = Date.now() + (options.readyTimeoutMillis ?? 30000);
    for (;;) {
      if (service.exited)
        throw new Error(`${options.name} exited during start-up (exit code ${child.exitCode}):\n${service.log()}`);
      if (await options.ready().catch(() => false)) return service;
      if (Date.now() > deadline) {
        await service.stop();
        throw new Error(`${options.name} was not ready in time:\n${service.log()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  get running(): boolean {
    return !this.exited;
  }

  /** The combined stdout/stderr so far: attach it to failures. */
  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** SIGTERM to the process group, SIGKILL after `graceMillis`; resolves once the process is gone. */
  async stop(graceMillis = 10000): Promise<void> {
    const pid = this.child.pid;
    if (this.exited || pid === undefined) return;
    const exit = once(this.child, 'exit');
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pid, name);
      } catch {
        /* already gone */
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMillis);
    await exit;
    clearTimeout(timer);
  }
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
