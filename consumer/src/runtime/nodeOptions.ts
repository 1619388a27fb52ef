/**
 * V8 flags every consumer process runs with (the image's entrypoint, the KCL child's executableName, the benches).
 * At event rates of tens of thousands per second V8 otherwise grows the heap lazily far beyond the live set
 * (a few MB per 10,000 agents); a cap makes the collector work earlier and keeps a task's RSS predictable.
 */
export const CONSUMER_NODE_OPTIONS: readonly string[] = ['--max-old-space-size=128'];
