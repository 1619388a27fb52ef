/**
 * Preloaded (`node -r`) into a command a benchmark runs as a process: writes the process's peak RSS in KiB to
 * $PEAK_RSS_FILE at exit. Node cannot read a child's rusage, and this keeps the command itself unchanged.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
