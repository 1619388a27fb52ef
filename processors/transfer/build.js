#!/usr/bin/env node
/**
 * Bundles the transfer Lambda into one minified CommonJS file for the Node.js 22 runtime:
 * dist-lambda/transfer/index.js (handler `index.handler`). Zip that folder as the function's artifact.
 * ssh2's optional native add-ons are left out: ssh2 falls back to its pure-JS crypto when they are absent.
 */
const esbuild = require('esbuild');
const { statSync } = require('node:fs');
const { join } = require('node:path');

const DEFAULT_OUTFILE = join(__dirname, '..', '..', 'dist-lambda', 'transfer', 'index.js');

/** Builds the bundle; resolves to its size in bytes. */
async function buildTransferLambda(outfile = DEFAULT_OUTFILE) {
  await esbuild.build({
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
  });
  return statSync(outfile).size;
}

module.exports = { buildTransferLambda, DEFAULT_OUTFILE };

if (require.main === module) {
  buildTransferLambda().then(
    (size) => process.stdout.write(`${DEFAULT_OUTFILE} ${(size / 1024).toFixed(0)} KiB\n`),
    () => {
      process.exitCode = 1;
    },
  );
}
