#!/usr/bin/env node
/**
 * `npm run test:repeat -- [N] [jest args…]`: runs the jest suite N times in a row (default 10), as `npm test` runs it
 * (all tiers, two workers in parallel), and reports each run (passed, failed, wall time) and every test that failed in
 * any run, with how often. Use it before a submission: a test that fails once in ten runs fails CI one day in ten.
 * Exits 1 if any run had a failure.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const runs = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 10;
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');

const rows = [];
const failures = new Map();
for (let run = 1; run <= runs; run++) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'repeat-tests-')), 'report.json');
  const started = Date.now();
  spawnSync(process.execPath, [jest, '--json', `--outputFile=${report}`, ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const seconds = (Date.now() - started) / 1000;
  let result;
  try {
    result = JSON.parse(fs.readFileSync(report, 'utf8'));
  } catch {
    result = { numPassedTests: 0, numFailedTests: 1, testResults: [] };
    failures.set('(jest wrote no report)', (failures.get('(jest wrote no report)') ?? 0) + 1);
  }
  for (const file of result.testResults) {
    const failed = file.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName);
    // A suite that failed outside any test (an error in beforeAll, a crash) still counts, under its file name.
    if (failed.length === 0 && file.status === 'failed') failed.push('(suite failed)');
    for (const name of failed) {
      const key = `${path.relative(root, file.name)} › ${name}`;
      failures.set(key, (failures.get(key) ?? 0) + 1);
    }
  }
  rows.push({ run, passed: result.numPassedTests, failed: result.numFailedTests, seconds });
  process.stdout.write(
    `run ${run}/${runs}: ${result.numPassedTests} passed, ${result.numFailedTests} failed, ${seconds.toFixed(0)} s\n`,
  );
}

process.stdout.write('\n| run | passed | failed | wall time |\n|---:|---:|---:|---:|\n');
for (const r of rows) process.stdout.write(`| ${r.run} | ${r.passed} | ${r.failed} | ${r.seconds.toFixed(0)} s |\n`);
if (failures.size === 0) process.stdout.write(`\nno test failed in ${runs} runs\n`);
else {
  process.stdout.write(`\ntests that failed (times out of ${runs}):\n`);
  for (const [name, count] of [...failures].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${count}× ${name}\n`);
}
process.exitCode = failures.size === 0 ? 0 : 1;
