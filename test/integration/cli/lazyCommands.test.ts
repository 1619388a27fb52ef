import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../../../cli/command';
import { buildCli } from '../../helpers/buildCli';

/**
 * `connect-wfm` loads a subcommand's modules only when that subcommand runs: the runtime image has no devDependency
 * (s3rver, used by `start` alone) and the KCL entrypoint's commands start without loading the simulator or the SFTP
 * code. The bundled CLI keeps packages external, so a require hook sees every package a command loads.
 */
const ROOT = join(__dirname, '..', '..', '..');
let dir: string;
let hook: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cwfm-lazy-'));
  hook = join(dir, 'hook.js');
  // Prints, at exit, every package (not a relative path, not a Node built-in) that was loaded.
  writeFileSync(
    hook,
    `const Module = require('node:module'); const seen = new Set(); const load = Module._load;
     Module._load = function (request, ...rest) {
       if (!request.startsWith('.') && !request.startsWith('/') && !Module.isBuiltin(request))
         seen.add(request.startsWith('@') ? request.split('/').slice(0, 2).join('/') : request.split('/')[0]);
       return load.call(this, request, ...rest);
     };
     process.on('exit', () => process.stderr.write('PACKAGES ' + JSON.stringify([...seen].sort()) + '\\n'));`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[], env: Record<string, string> = {}): { stdout: string; packages: string[] } {
  const r = spawnSync(process.execPath, ['-r', hook, buildCli(), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  const packages = /^PACKAGES (.*)$/m.exec(r.stderr)?.[1];
  if (packages === undefined) throw new Error(`no package report from connect-wfm ${args.join(' ')}:\n${r.stderr}`);
  return { stdout: r.stdout, packages: JSON.parse(packages) as string[] };
}

/** Every Command exported by cli/commands/*.ts and by the consumer's consumer/src/commands/*.ts. */
function commandModules(): Command[] {
  const dirs = [join(ROOT, 'cli', 'commands'), join(ROOT, 'consumer', 'src', 'commands')];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        Object.values(require(join(dir, f)) as Record<string, unknown>).filter(
          (v): v is Command => typeof v === 'object' && v !== null && 'run' in v && 'summary' in v,
        ),
      ),
  );
}

describe('connect-wfm subcommands load lazily', () => {
  it('--help loads no package but reflect-metadata and lists every command module with its own summary', () => {
    const { stdout, packages } = runCli(['--help']);
    expect(packages).toEqual(['reflect-metadata']);
    const commands = commandModules();
    expect(commands.length).toBeGreaterThanOrEqual(10);
    const width = Math.max(...commands.map((c) => c.name.length));
    for (const c of commands) expect(stdout).toContain(`  ${c.name.padEnd(width)}  ${c.summary}\n`);
  });

  it('kcl-properties loads only what it needs: no simulator, SFTP or local-stack package', () => {
    const { stdout, packages } = runCli(['kcl-properties'], {
      KINESIS_STREAM_NAME: 'agent-events',
      AWS_REGION: 'us-east-1',
      WFM_RTA_URL: 'https://wfm.example.com',
      WFM_AUTH_KEY: 'k',
      KCL_WORKER_ID: 'worker-1',
    });
    expect(stdout).toContain('streamName = agent-events');
    for (const heavy of ['s3rver', 'ssh2', 'ssh2-sftp-client', '@aws-sdk/client-s3', 'playwright-core'])
      expect(packages).not.toContain(heavy);
  });
});
