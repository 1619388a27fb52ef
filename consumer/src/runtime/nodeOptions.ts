/**
 * How consumer processes are started. At event rates of tens of thousands per second V8 otherwise grows the heap
 * lazily far beyond the live set (a few MB per 10,000 agents); a cap makes the collector work earlier and keeps a
 * task's RSS predictable (bench:rta, bench:consumer).
 */
const HEAP_CAP = '--max-old-space-size=128';

/** Direct mode (the image's entrypoint) and bench:rta. */
export const CONSUMER_NODE_OPTIONS: readonly string[] = [HEAP_CAP, '--max-semi-space-size=8'];

/**
 * A KCL child: one runs per lease, so its RSS multiplies. A small young generation costs little at one shard's rate;
 * each processRecords line (MBs of JSON, parsed while it is held) outlives it anyway and lands in the old
 * generation as garbage, which `--optimize-for-size` (smaller heap growth steps) collects before it piles up:
 * with 10,000 agents on the shard, peak RSS 95 MB instead of 102–103 MB (bench:kcl-memory; bench:consumer for the
 * throughput).
 */
export const KCL_CHILD_NODE_OPTIONS: readonly string[] = [HEAP_CAP, '--max-semi-space-size=1', '--optimize-for-size'];

/**
 * Set for a KCL child only (through `env` in the daemon's executableName, which runs no shell): glibc otherwise keeps
 * the freed memory of the large protocol lines (a 1,000-record batch is about 3 MB) in its arenas, about 10 MB per
 * child (bench:consumer).
 */
export const KCL_CHILD_ENV: readonly string[] = ['MALLOC_ARENA_MAX=1', 'MALLOC_TRIM_THRESHOLD_=65536'];
