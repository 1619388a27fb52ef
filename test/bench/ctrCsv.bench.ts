/**
 * `npm run bench:csv`: CTR → CSV as users run it, against a naive baseline (read the whole file, split on `}{`,
 * JSON.parse each piece, join strings: the prior art's approach), on a generated Firehose-style file of at least
 * 330 MB (CTR_BENCH_MB to change it; written to the temp dir, deleted afterwards), in one run:
 *   - `ctr2csv`: `node dist/cli/main.js ctr2csv --input F --output O` as a process, defaults (de-duplication on);
 *   - `ctr2csv --keep-duplicates`: the same without de-duplication (what de-duplication costs);
 *   - `streaming`: the converter alone, in a child process (what the Lambda's conversion costs);
 *   - `naive`: the baseline, in a child process.
 * Peak RSS is each process's own (getrusage maxrss; for the CLI through a `-r` preload that writes it at exit).
 * Targets: ctr2csv ≥ 1.5× the naive converter's MB/s, ctr2csv peak RSS ≤ 120 MB.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { convertCtrStream } from '../../processors/transfer/src/ctr/convertCtrStream';
import { csvField } from '../../processors/transfer/src/ctr/csvField';
import { csvHeader } from '../../processors/transfer/src/ctr/ctrToCsvRow';
import { readCtrFile } from '../../processors/transfer/src/ctr/readCtrFile';
import { writeCtrFile } from '../helpers/ctrGenerator';

interface RunResult {
  seconds: number;
  peakRssMb: number;
  outputSha256: string;
  outputBytes: number;
}

const MB = 1e6;
const RUNS = Number(process.env.CTR_BENCH_RUNS ?? 3);
const MODES = ['ctr2csv', 'ctr2csv --keep-duplicates', 'streaming', 'naive'] as const;
type Mode = (typeof MODES)[number];
const CLI = join(__dirname, '..', '..', 'cli', 'main.js');
const PRELOAD = join(__dirname, 'peakRss.js');

async function main(): Promise<void> {
  const [mode, input, output] = process.argv.slice(2);
  if (mode === 'streaming' || mode === 'naive') {
    await child(mode, input!, output!);
    return;
  }
  const sizeMb = Number(process.env.CTR_BENCH_MB ?? 330);
  const dir = mkdtempSync(join(tmpdir(), 'cwfm-bench-csv-'));
  try {
    const file = join(dir, 'ctr-firehose-object');
    const g0 = Date.now();
    const { bytes, records } = await writeCtrFile(file, sizeMb * MB);
    out(
      `input: ${(bytes / MB).toFixed(1)} MB, ${records} CTRs (generated in ${((Date.now() - g0) / 1000).toFixed(1)} s)`,
    );
    const results = Object.fromEntries(MODES.map((m) => [m, [] as RunResult[]])) as Record<Mode, RunResult[]>;
    let naiveFailure: string | undefined;
    for (let run = 0; run < RUNS; run++) {
      for (const mode of MODES) {
        if (mode === 'naive' && naiveFailure) continue;
        const output = join(dir, 'out.csv');
        let result: RunResult;
        try {
          result =
            mode === 'streaming' || mode === 'naive' ? inChild(mode, file, output) : cli(mode, file, output, dir);
        } catch (error) {
          // Past V8's 512 MB string limit the naive baseline cannot read the file at all: say so, keep the rest.
          if (mode !== 'naive') throw error;
          naiveFailure = /Error: (.*)/.exec((error as { stderr?: string }).stderr ?? '')?.[1] ?? String(error);
          out(`  run ${run + 1} naive      failed: ${naiveFailure}`);
          continue;
        }
        results[mode].push(result);
        out(
          `  run ${run + 1} ${mode.padEnd(26)} ${(bytes / MB / result.seconds).toFixed(1).padStart(6)} MB/s  ` +
            `${result.seconds.toFixed(2).padStart(6)} s  peak RSS ${result.peakRssMb.toFixed(0).padStart(5)} MB`,
        );
        rmSync(output, { force: true });
      }
    }
    const best = (mode: Mode): RunResult => results[mode].reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const rss = (mode: Mode): number => Math.max(...results[mode].map((r) => r.peakRssMb));
    out(`best of ${RUNS} (MB/s), highest peak RSS:`);
    for (const mode of MODES)
      if (results[mode].length > 0)
        out(
          `  ${mode.padEnd(26)} ${(bytes / MB / best(mode).seconds).toFixed(1).padStart(6)} MB/s  peak RSS ${rss(mode).toFixed(0).padStart(5)} MB`,
        );
    const cliRss = rss('ctr2csv');
    out(
      `ctr2csv peak RSS: ${cliRss.toFixed(0)} MB for ${records} contacts (target <= 120): ${cliRss <= 120 ? 'PASS' : 'FAIL'}`,
    );
    if (results.naive.length === 0) {
      out(`naive:     could not convert this input (${naiveFailure}); no ratio`);
      return;
    }
    const n = best('naive');
    const ratio = n.seconds / best('ctr2csv').seconds;
    out(
      `ratio:     ctr2csv is ${ratio.toFixed(2)}x the naive converter's speed (target >= 1.5): ${ratio >= 1.5 ? 'PASS' : 'FAIL'}`,
    );
    const same = MODES.every((m) => results[m].every((r) => r.outputSha256 === n.outputSha256));
    out(
      `outputs:   ${same ? 'identical' : 'DIFFERENT'} (${(n.outputBytes / MB).toFixed(1)} MB of CSV, sha256 ${n.outputSha256.slice(0, 16)}…)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A converter in a child process, timed like the CLI: from spawn to exit (its output is hashed after). */
function inChild(mode: 'streaming' | 'naive', input: string, output: string): RunResult {
  const t0 = process.hrtime.bigint();
  const printed = execFileSync(process.execPath, [__filename, mode, input, output], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, peakRssMb: (JSON.parse(printed) as { peakRssMb: number }).peakRssMb, ...digestSync(output) };
}

/** `connect-wfm ctr2csv` as a process, timed from spawn to exit (start-up included, as users see it). */
function cli(mode: Mode, input: string, output: string, dir: string): RunResult {
  const rssFile = join(dir, 'peak-rss');
  const args = ['-r', PRELOAD, CLI, 'ctr2csv', '--input', input, '--output', output];
  if (mode === 'ctr2csv --keep-duplicates') args.push('--keep-duplicates');
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, args, { env: { ...process.env, PEAK_RSS_FILE: rssFile }, stdio: 'ignore' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, peakRssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, ...digestSync(output) };
}

async function child(mode: 'streaming' | 'naive', input: string, output: string): Promise<void> {
  if (mode === 'streaming') {
    await pipeline(
      Readable.from(convertCtrStream(readCtrFile(input), { layout: 'standard' })),
      createWriteStream(output),
    );
  } else naive(input, output);
  process.stdout.write(JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function digestSync(output: string): Pick<RunResult, 'outputSha256' | 'outputBytes'> {
  const bytes = readFileSync(output);
  return { outputSha256: createHash('sha256').update(bytes).digest('hex'), outputBytes: bytes.length };
}

type Json = Record<string, unknown> | null | undefined;
const id = (arn: unknown): string | null => (typeof arn === 'string' ? arn.slice(arn.lastIndexOf('/') + 1) : null);

/** The baseline: whole file in memory, regex split, JSON.parse, strings joined (same columns and quoting). */
function naive(input: string, output: string): void {
  const text = readFileSync(input, 'utf8');
  const parts = text.split(/}\s*{/);
  const rows = parts.map((p, i) => {
    const r = JSON.parse((i > 0 ? '{' : '') + p + (i < parts.length - 1 ? '}' : '')) as Record<string, Json>;
    const a = (r.Agent ?? {}) as Record<string, unknown>;
    const q = (r.Queue ?? {}) as Record<string, unknown>;
    const se = (r.SystemEndpoint ?? {}) as Record<string, unknown>;
    const t = (r.TransferredToEndpoint ?? {}) as Record<string, unknown>;
    return [
      id(a.ARN),
      a.AfterContactWorkDuration,
      a.AgentInteractionDuration,
      a.CustomerHoldDuration,
      a.Username,
      r.Channel,
      r.ContactId,
      r.InitiationMethod,
      r.InitiationTimestamp,
      id(q.ARN),
      q.Duration,
      q.EnqueueTimestamp,
      q.Name,
      se.Address,
      r.TransferCompletedTimestamp,
      t.Address,
    ]
      .map((v) => csvField(v as string | number | null))
      .join(',');
  });
  writeFileSync(output, csvHeader('standard') + rows.join('\r\n') + '\r\n');
}

const out = (line: string): void => {
  process.stdout.write(line + '\n');
};

main().catch((e: unknown) => {
  process.stderr.write(`bench:csv failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
