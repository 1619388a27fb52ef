import { agentTimeline } from './agentTimeline';
import { buildInstance, type ConnectInstance } from './buildInstance';
import { SeededRandom } from './SeededRandom';
import type { SimulatedOutput, SimulationOptions } from './types';

export interface Simulation {
  instance: ConnectInstance;
  /** Everything the instance publishes, in simulated-time order (ties: agent order). Lazy: memory is O(agents). */
  outputs: Iterable<SimulatedOutput>;
}

/**
 * A deterministic Amazon Connect instance: the same options (seed and start included) give the same outputs, byte for
 * byte. Pure: no clock, no I/O; the sinks and the pacing live in runSimulation.
 */
export function simulate(options: SimulationOptions): Simulation {
  const rng = new SeededRandom(options.seed);
  const instance = buildInstance(rng, options.agents, options.region);
  const timelines = instance.agents.map((agent) => agentTimeline(agent, instance, rng.fork(agent.index + 1), options));
  return { instance, outputs: { [Symbol.iterator]: () => merge(timelines) } };
}

interface Head {
  index: number;
  output: SimulatedOutput;
}

function* merge(timelines: Iterator<SimulatedOutput>[]): Generator<SimulatedOutput> {
  const heap: Head[] = [];
  const before = (a: Head, b: Head) =>
    a.output.timeMillis < b.output.timeMillis || (a.output.timeMillis === b.output.timeMillis && a.index < b.index);
  const push = (h: Head) => {
    heap.push(h);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): Head => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const advance = (index: number) => {
    const next = timelines[index]!.next();
    if (!next.done) push({ index, output: next.value });
  };
  timelines.forEach((_, i) => advance(i));
  while (heap.length > 0) {
    const head = pop();
    yield head.output;
    advance(head.index);
  }
}
