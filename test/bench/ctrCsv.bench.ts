/**
 * `npm run bench:csv`: the streaming CTR → CSV converter against a naive baseline (read the whole file, split on `}{`,
 * JSON.parse each piece, join strings: the prior art's approach), on a generated Firehose-style file of at least
 * 300 MB (CTR_BENCH_MB to change it; written to the temp dir, streamed, deleted afterwards).
 * Each converter runs in its own child process, so peak RSS (getrusage maxrss) is that converter's alone.
 * Targets: streaming ≥ 1.5× the baseline's MB/s, streaming peak RSS ≤ 150 MB whatever the input size.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
const RUNS = 3;

async function main(): Promise<void> {
  const [mode, input, output] = process.argv.slice(2);
  if (mode === 'streaming' || mode === 'naive') {
    await child(mode, input!, output!);
    return;
  }
  const sizeMb = Number(process.env.CTR_BENCH_MB ?? 300);
  const dir = mkdtempSync(join(tmpdir(), 'cwfm-bench-csv-'));
  try {
    const file = join(dir, 'ctr-firehose-object');
    const g0 = Date.now();
    const { bytes, records } = await writeCtrFile(file, sizeMb * MB);
    out(
      `input: ${(bytes / MB).toFixed(1)} MB, ${records} CTRs (generated in ${((Date.now() - g0) / 1000).toFixed(1)} s)`,
    );
    const results: Record<'streaming' | 'naive', RunResult[]> = { streaming: [], naive: [] };
    let naiveFailure: string | undefined;
    for (let run = 0; run < RUNS; run++) {
      for (const mode of ['streaming', 'naive'] as const) {
        if (mode === 'naive' && naiveFailure) continue;
        let result: RunResult;
        try {
          result = JSON.parse(
            execFileSync(process.execPath, [__filename, mode, file, join(dir, `${mode}.csv`)], {
              encoding: 'utf8',
              maxBuffer: 1 << 20,
              stdio: ['ignore', 'pipe', 'pipe'],
            }),
          ) as RunResult;
        } catch (error) {
          // Past V8's 512 MB string limit the naive baseline cannot read the file at all: say so, keep streaming.
          if (mode === 'streaming') throw error;
          naiveFailure = /Error: (.*)/.exec((error as { stderr?: string }).stderr ?? '')?.[1] ?? String(error);
          out(`  run ${run + 1} naive      failed: ${naiveFailure}`);
          continue;
        }
        results[mode].push(result);
        out(
          `  run ${run + 1} ${mode.padEnd(9)} ${(bytes / MB / result.seconds).toFixed(1).padStart(6)} MB/s  ` +
            `peak RSS ${result.peakRssMb.toFixed(0).padStart(5)} MB`,
        );
        rmSync(join(dir, `${mode}.csv`), { force: true });
      }
    }
    const best = (mode: 'streaming' | 'naive'): RunResult =>
      results[mode].reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const s = best('streaming');
    const streamingRss = Math.max(...results.streaming.map((r) => r.peakRssMb));
    out(`streaming: ${(bytes / MB / s.seconds).toFixed(1)} MB/s, peak RSS ${streamingRss.toFixed(0)} MB (own process)`);
    out(`peak RSS:  ${streamingRss.toFixed(0)} MB (target <= 150): ${streamingRss <= 150 ? 'PASS' : 'FAIL'}`);
    if (results.naive.length === 0) {
      out(`naive:     could not convert this input (${naiveFailure}); no ratio`);
      return;
    }
    const n = best('naive');
    const ratio = n.seconds / s.seconds;
    out(
      `naive:     ${(bytes / MB / n.seconds).toFixed(1)} MB/s, peak RSS ${Math.max(...results.naive.map((r) => r.peakRssMb)).toFixed(0)} MB (own process)`,
    );
    out(`ratio:     ${ratio.toFixed(2)}x the baseline's throughput (target >= 1.5): ${ratio >= 1.5 ? 'PASS' : 'FAIL'}`);
    const same = results.streaming.every((r) => r.outputSha256 === n.outputSha256);
    out(
      `outputs:   ${same ? 'identical' : 'DIFFERENT'} (${(s.outputBytes / MB).toFixed(1)} MB of CSV, sha256 ${s.outputSha256.slice(0, 16)}…)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(mode: 'streaming' | 'naive', input: string, output: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  if (mode === 'streaming') {
    await pipeline(
      Readable.from(convertCtrStream(readCtrFile(input), { layout: 'standard' })),
      createWriteStream(output),
    );
  } else naive(input, output);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakRssMb = (process.resourceUsage().maxRSS * 1024) / (1024 * 1024);
  const hash = createHash('sha256');
  await pipeline(createReadStream(output), hash);
  const result: RunResult = {
    seconds,
    peakRssMb,
    outputSha256: hash.digest('hex'),
    outputBytes: statSync(output).size,
  };
  process.stdout.write(JSON.stringify(result));
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
