import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** `npm start` (or another command) in its own process group, as a terminal would run it; output captured. */
export interface StartedStack {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the board URL once the stack prints it. */
  boardUrl: Promise<string>;
  /** Every process (the whole tree) carries this variable: how the test finds leftovers. */
  marker: string;
}

export function startStack(args: string[], marker: string): StartedStack {
  const child = spawn('npm', ['start', '--silent', '--', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CONNECT_WFM_TEST_MARKER: marker, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const boardUrl = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /board\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) =>
      reject(new Error(`npm start exited (${code}) before printing the board URL:\n${out}\n${err}`)),
    );
  });
  boardUrl.catch(() => undefined); // awaited by the tests that need it; an early exit must not go unhandled
  return { child, stdout: () => out, stderr: () => err, boardUrl, marker };
}

/**
 * Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group. Resolves with how npm ended: its exit
 * code, or the signal it re-raised on itself (npm's way of reporting an interrupted script).
 */
export async function interrupt(stack: StartedStack, timeoutMillis = 60000): Promise<number | string | null> {
  if (stack.child.exitCode !== null || stack.child.signalCode !== null)
    return stack.child.exitCode ?? stack.child.signalCode;
  const exit = once(stack.child, 'exit') as Promise<[number | null, string | null]>;
  process.kill(-stack.child.pid!, 'SIGINT');
  const timer = setTimeout(() => {
    try {
      process.kill(-stack.child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, timeoutMillis);
  const [code, signal] = await exit;
  clearTimeout(timer);
  return code ?? signal;
}

/** Processes whose environment carries the marker (Linux /proc), excluding this test process. */
export function processesWithMarker(marker: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (environ.includes(`CONNECT_WFM_TEST_MARKER=${marker}`))
        found.push({
          pid: Number(entry),
          cmdline: readFileSync(`/proc/${entry}/cmdline`, 'latin1').replace(/\0/g, ' '),
        });
    } catch {
      /* exited meanwhile, or not ours to read */
    }
  }
  return found;
}

/**
 * SIGKILL to every process still carrying the marker (a test's clean-up). A process may exit between the listing and
 * the kill: that is the outcome wanted, not an error (an ESRCH thrown here would fail the suite and hide the test's
 * own failure).
 */
export function killLeftovers(marker: string): void {
  for (const p of processesWithMarker(marker)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/**
 * One time budget for a test's steps, inside jest's timeout: each step gets what is left, and the step still waiting
 * when it runs out fails under its own name with the stack's latest output (jest's bare timeout names nothing).
 */
export function stepBudget(totalMillis: number, stack: StartedStack) {
  const end = Date.now() + totalMillis;
  const left = () => Math.max(1, end - Date.now());
  return {
    left,
    step<T>(what: string, work: Promise<T>): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const tail = (text: string) => text.slice(-3000);
          reject(
            new Error(
              `${what}: not done within the test's ${totalMillis / 1000} s\n--- stack stdout ---\n${tail(stack.stdout())}\n--- stack stderr ---\n${tail(stack.stderr())}`,
            ),
          );
        }, left());
      });
      return Promise.race([work, outOfTime]).finally(() => clearTimeout(timer));
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMillis: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
