#!/usr/bin/env node
/**
 * Bundles the transfer Lambda into one minified CommonJS file for the Node.js 22 runtime:
 * dist-lambda/transfer/index.js (handler `index.handler`). Zip that folder as the function's artifact.
 * ssh2's optional native add-ons are left out: ssh2 falls back to its pure-JS crypto when they are absent.
 */
const esbuild = require('esbuild');
const { statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const outfile = join(root, 'dist-lambda', 'transfer', 'index.js');

esbuild
  .build({
    entryPoints: [join(__dirname, 'src', 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: 'external',
    legalComments: 'external',
    external: ['cpu-features', '*.node'],
    logLevel: 'warning',
  })
  .then(() => {
    process.stdout.write(`${outfile} ${(statSync(outfile).size / 1024).toFixed(0)} KiB\n`);
  })
  .catch(() => {
    process.exitCode = 1;
  });
