import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';

/**
 * Loaded into every child (`node --import`): if the stack process dies without cleaning up (SIGKILL), the child sees
 * its parent change and terminates itself, so no emulator or consumer outlives `npm start`. The parent's pid is
 * written in by the parent: a child that read `process.ppid` itself would, when started slowly (a loaded machine),
 * read the pid it was re-parented to after the parent had already died, and never notice. It checks at once, then
 * every 500 ms; SIGTERM lets the child shut down in order, and a hard exit follows 5 s later.
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
  /** A Node.js script and its arguments (run with this process's node). */
  script: string;
  args?: string[];
  env: Record<string, string>;
  logFile: string;
  cwd?: string;
  ready: () => Promise<boolean>;
  readyTimeoutMillis?: number;
}

/** A child process of the local stack (kinesis-mock, the consumer), its output in a log file. */
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
    const fd = openSync(options.logFile, 'a');
    const child = spawn(
      process.execPath,
      ['--import', exitWithParentImport(process.pid), options.script, ...(options.args ?? [])],
      {
        env: { ...process.env, ...options.env },
        cwd: options.cwd,
        stdio: ['ignore', fd, fd],
      },
    );
    closeSync(fd);
    const service = new ServiceProcess(options.name, child, options.logFile);
    const deadline = Date.now() + (options.readyTimeoutMillis ?? 30000);
    for (;;) {
      if (service.exited)
        throw new Error(`${options.name} exited during start-up (exit code ${child.exitCode}); see ${options.logFile}`);
      if (await options.ready().catch(() => false)) return service;
      if (Date.now() > deadline) {
        await service.stop();
        throw new Error(`${options.name} was not ready in time; see ${options.logFile}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get running(): boolean {
    return !this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMillis`; resolves once the process is gone. */
  async stop(graceMillis = 10000): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const exit = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMillis);
    await exit;
    clearTimeout(timer);
  }
}

/** Readiness probe: an HTTP answer (any status unless `okOnly`). */
export const httpAnswers =
  (url: string, okOnly = false) =>
  async (): Promise<boolean> => {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return okOnly ? res.ok : true;
  };
