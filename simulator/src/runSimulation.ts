import { SimulationStats } from './SimulationStats';
import type { AgentEventSink, CtrSink } from './sinks/types';
import type { SimulatedOutput } from './types';

export interface RunOptions {
  outputs: Iterable<SimulatedOutput>;
  /** Simulated start: the moment that maps to the wall-clock start of the run. */
  startMillis: number;
  /** Simulated seconds per wall-clock second; 0 = as fast as the sinks accept. */
  speed: number;
  events?: AgentEventSink;
  ctrs?: CtrSink;
  stats?: SimulationStats;
  signal?: AbortSignal;
  /** Called after each output is handed to its sink. */
  onOutput?: (output: SimulatedOutput) => void;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RunResult {
  outputs: number;
  stats: SimulationStats;
  aborted: boolean;
}

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Plays a simulation into its sinks. With a speed factor, each output is released when the wall clock reaches its
 * simulated time divided by the speed (buffers are flushed before waiting, so records leave on time); unpaced runs go
 * as fast as the sinks accept. Stops early, cleanly, when `signal` aborts.
 */
export async function runSimulation(options: RunOptions): Promise<RunResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const stats = options.stats ?? new SimulationStats();
  const wallStart = now();
  let count = 0;
  let aborted = false;
  for (const output of options.outputs) {
    if (options.signal?.aborted) {
      aborted = true;
      break;
    }
    if (options.speed > 0) {
      const due = wallStart + (output.timeMillis - options.startMillis) / options.speed;
      const wait = due - now();
      if (wait > 5) {
        await options.events?.flush();
        await options.ctrs?.tick?.(options.startMillis + (now() - wallStart) * options.speed);
        await sleep(wait, options.signal);
        if (options.signal?.aborted) {
          aborted = true;
          break;
        }
      }
    }
    const json = JSON.stringify(output.kind === 'agent-event' ? output.event : output.record);
    if (output.kind === 'agent-event') await options.events?.write(output.event, json);
    else {
      await options.ctrs?.tick?.(output.timeMillis);
      await options.ctrs?.write(output.record, json, output.timeMillis);
    }
    stats.observe(output, Buffer.byteLength(json));
    count++;
    options.onOutput?.(output);
  }
  await options.events?.flush();
  await options.ctrs?.flush();
  return { outputs: count, stats, aborted };
}
