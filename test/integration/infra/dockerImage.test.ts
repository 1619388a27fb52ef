import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSUMER_NODE_OPTIONS } from '../../../consumer/src/runtime/nodeOptions';

/**
 * The consumer image's files read and run without a container: the entrypoint execs the right process, and the
 * Dockerfile keeps its security properties. (The image itself is built and run by test/image/.)
 */

const ROOT = join(__dirname, '../../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

describe('docker/entrypoint.sh', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entrypoint-'));
    mkdirSync(join(dir, 'bin'));
    // Fakes that report how they were started; $$ shows whether the shell exec'd them (same pid) or forked.
    const fake = (name: string, body: string) => {
      writeFileSync(join(dir, 'bin', name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, 'bin', name), 0o755);
    };
    fake('node', 'echo "node pid=$$ args=$*"');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string>, args: string[] = []) => {
    const r = spawnSync('sh', [join(ROOT, 'docker/entrypoint.sh'), ...args], {
      env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, STATE_DIR: join(dir, 'state'), ...env },
      encoding: 'utf8',
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, pid: r.pid };
  };

  it('KCL mode: starts the shard monitor, then execs kcl-daemon (which runs the MultiLangDaemon) itself', () => {
    const r = run({ CONSUMER_MODE: 'kcl' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`node pid=${r.pid} args=/app/dist/consumer/src/main.js kcl-daemon\n`);
    expect(r.stdout).toMatch(/^node pid=(\d+) args=\/app\/dist\/consumer\/src\/main\.js shard-monitor$/m);
    expect(r.stdout).not.toContain(`node pid=${r.pid} args=/app/dist/consumer/src/main.js shard-monitor`);
  });

  it('direct mode: execs the consumer', () => {
    const r = run({ CONSUMER_MODE: 'direct' });
    expect(r.stdout).toBe(
      `node pid=${r.pid} args=${CONSUMER_NODE_OPTIONS.join(' ')} /app/dist/consumer/src/main.js consume\n`,
    );
  });

  it('arguments run that subcommand; an unknown mode exits 64', () => {
    expect(run({}, ['doctor']).stdout).toContain('args=/app/dist/cli/main.js doctor');
    const bad = run({ CONSUMER_MODE: 'both' });
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain("CONSUMER_MODE must be kcl or direct, not 'both'");
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1] ?? '';

  it('is multi-stage on node:22-bookworm-slim and compiles TypeScript in a build stage', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stages.every((s) => s.startsWith('${NODE_IMAGE}'))).toBe(true);
    expect(dockerfile).toMatch(/AS build[\s\S]*RUN npm run build/);
  });

  it('resolves the KCL jars with Maven at build time through the lock-checking script', () => {
    expect(dockerfile).toContain('RUN node scripts/kcl-jars.js --dir /opt/kcl/jars');
    expect(dockerfile).not.toMatch(/^ADD\s+https?:/m);
    expect(dockerfile).not.toMatch(/kcl-bootstrap/);
  });

  it("runtime: a jlink'd Java 17 from the jar stage, non-root user, HEALTHCHECK, tini + one entrypoint", () => {
    expect(runtime).toContain('COPY --from=kcl-jars /opt/java /opt/java');
    expect(runtime).toMatch(/^ {4}PATH=\/opt\/java\/bin:/m);
    expect(runtime).not.toMatch(/apt-get install[^\n]*(openjdk|jre)/);
    const user = /^USER (\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(0|root)(:|$)/);
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "\/app\/docker\/healthcheck\.js"\]$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "\/app\/docker\/entrypoint\.sh"\]$/m);
    expect(runtime).not.toMatch(/^ENV [^\n]*(KEY|PASSWORD|SECRET)=/m);
  });

  it('installs the JDK the way slim bases need (/usr/share/man/man1 first) and builds production code only', () => {
    expect(dockerfile).toMatch(
      /RUN mkdir -p \/usr\/share\/man\/man1 \\\n\s+&& apt-get update \\\n\s+&& apt-get install [^\n]*openjdk-17-jdk-headless/,
    );
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    expect(build.include.filter((dir) => dir.startsWith('test'))).toEqual([]);
    expect(dockerfile).not.toMatch(/^COPY (\. |test)/m);
  });

  it("orders layers so that a code change reruns only the compile and the runtime's last COPY", () => {
    const build = stages.find((s) => /^\S+ AS build\n/.test(s)) ?? '';
    const steps = (stage: string) => stage.split('\n').filter((line) => /^(RUN|COPY) /.test(line));
    const buildSteps = steps(build);
    const firstSource = buildSteps.findIndex((line) => /^COPY (cli|common|consumer)\//.test(line));
    expect(buildSteps.findIndex((line) => line.startsWith('RUN npm ci'))).toBeLessThan(firstSource);
    expect(buildSteps.slice(-1)).toEqual(['RUN npm run build']);
    expect(steps(runtime).slice(-1)).toEqual(['COPY --from=build /src/dist ./dist']);
  });

  it('ships the daemon logging configuration (INFO, SDK and Netty at WARN) next to the entrypoint', () => {
    expect(runtime).toContain('COPY docker/entrypoint.sh docker/healthcheck.js docker/logback.xml ./docker/');
    const logback = read('docker/logback.xml');
    expect(logback).toMatch(/<root level="INFO">/);
    expect(logback).toMatch(/<logger name="software\.amazon\.awssdk" level="WARN"\/>/);
  });

  it('.dockerignore keeps local state, git and secrets out of the build context', () => {
    const ignore = read('.dockerignore').split('\n');
    for (const entry of ['.git', 'node_modules', '.state', '.env', '**/*.pem']) expect(ignore).toContain(entry);
  });
});

describe('docker/healthcheck.js', () => {
  const runNode = (script: string, env: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'docker', script)], {
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('exit', (code) => resolve({ code, stdout }));
    });

  const direct = (port: number) => ({ CONSUMER_MODE: 'direct', HEALTH_PORT: String(port) });

  const serve = async (handler: (path: string) => { status: number; body?: string }) => {
    const server = createServer((req, res) => {
      const { status, body } = handler(req.url ?? '');
      res.writeHead(status).end(body ?? '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { server, port: (server.address() as AddressInfo).port };
  };

  it('healthcheck (kcl mode): needs a running MultiLangDaemon process and 200 from the monitor /healthz', async () => {
    // Prepare: a stand-in process whose command line carries a unique daemon class name, and a stand-in monitor.
    const daemonClass = `test.MultiLangDaemon${process.pid}${Date.now()}`;
    let status = 200;
    const { server, port } = await serve((path) => ({ status: path === '/healthz' ? status : 404 }));
    const env = { CONSUMER_MODE: 'kcl', KCL_DAEMON_CLASS: daemonClass, HEALTH_PORT: String(port) };
    expect((await runNode('healthcheck.js', env)).code).toBe(1);
    const daemon = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', daemonClass], { stdio: 'ignore' });
    try {
      // Act / Assess
      expect((await runNode('healthcheck.js', env)).code).toBe(0);
      status = 503;
      expect((await runNode('healthcheck.js', env)).code).toBe(1);
      expect((await runNode('healthcheck.js', { ...env, HEALTH_PORT: '0' })).code).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
      const exited = once(daemon, 'exit');
      daemon.kill('SIGKILL');
      await exited;
    }
  });

  it('healthcheck (direct mode): 0 on 200 from /healthz, 1 on 503 and 1 when nothing listens', async () => {
    // Prepare
    let status = 200;
    const { server, port } = await serve((path) => ({ status: path === '/healthz' ? status : 404 }));
    try {
      // Act / Assess
      expect((await runNode('healthcheck.js', direct(port))).code).toBe(0);
      status = 503;
      expect((await runNode('healthcheck.js', direct(port))).code).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect((await runNode('healthcheck.js', direct(port))).code).toBe(1);
  });
});
