import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSUMER_NODE_OPTIONS } from '../../../consumer/src/runtime/nodeOptions';

/**
 * The consumer image without a docker engine: the jar list equals aws-kcl's pom.xml, the jar fetcher enforces the
 * pinned checksums (run offline against a file:// repository), the entrypoint execs the right process, and the
 * Dockerfile keeps its security properties.
 */

const ROOT = join(__dirname, '../../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

interface Coordinate {
  group: string;
  artifact: string;
  version: string;
}
const key = (c: Coordinate) => `${c.group}:${c.artifact}:${c.version}`;

/** The <dependencies> of a Maven pom with ${property} versions resolved (what kcl-bootstrap downloads). */
export function pomDependencies(pom: string): Coordinate[] {
  const props: Record<string, string> = {};
  const propsBlock = /<properties>([\s\S]*?)<\/properties>/.exec(pom)?.[1] ?? '';
  for (const m of propsBlock.matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g)) props[m[1]!] = m[2]!.trim();
  const deps = /<dependencies>([\s\S]*?)<\/dependencies>/.exec(pom)?.[1] ?? '';
  return [...deps.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)].map((d) => {
    const tag = (t: string) => new RegExp(`<${t}>([^<]*)</${t}>`).exec(d[1]!)?.[1]?.trim() ?? '';
    const version = tag('version').replace(/\$\{([^}]+)\}/g, (_, p: string) => props[p] ?? `\${${p}}`);
    return { group: tag('groupId'), artifact: tag('artifactId'), version };
  });
}

/** The entries of docker/kcl-jars.txt. */
export function jarList(text: string): (Coordinate & { sha256: string })[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [group = '', artifact = '', version = '', sha256 = ''] = l.split(/\s+/);
      return { group, artifact, version, sha256 };
    });
}

describe('KCL MultiLangDaemon jars', () => {
  it("lists exactly the aws-kcl package's pom.xml dependencies, once each", () => {
    // Prepare
    const pom = pomDependencies(read('node_modules/aws-kcl/pom.xml'));
    const list = jarList(read('docker/kcl-jars.txt'));
    // Assess
    expect(pom.length).toBeGreaterThan(50);
    expect(pom.filter((c) => c.version.includes('${'))).toEqual([]);
    expect(new Set(list.map(key)).size).toBe(list.length);
    expect(list.map(key).sort()).toEqual(pom.map(key).sort());
    expect(list.find((c) => c.artifact === 'amazon-kinesis-client-multilang')?.version).toBe('2.7.2');
  });

  it('gives every jar a checksum column: a SHA-256 or UNPINNED', () => {
    for (const j of jarList(read('docker/kcl-jars.txt'))) expect(j.sha256).toMatch(/^([0-9a-f]{64}|UNPINNED)$/);
  });

  it('the pom parser resolves properties and notices a changed dependency', () => {
    const pom = `<project><properties><v>1.2</v></properties><dependencies>
      <dependency><groupId>a.b</groupId><artifactId>c</artifactId><version>\${v}</version></dependency>
    </dependencies></project>`;
    const deps = pomDependencies(pom);
    expect(deps).toEqual([{ group: 'a.b', artifact: 'c', version: '1.2' }]);
    expect(jarList('a.b c 1.3 UNPINNED').map(key)).not.toEqual(deps.map(key));
  });
});

describe('docker/fetch-kcl-jars.sh (offline, file:// repository)', () => {
  let dir: string;
  let jarSha: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kcl-jars-'));
    const jarDir = join(dir, 'repo/com/example/demo/1.0');
    mkdirSync(jarDir, { recursive: true });
    const bytes = Buffer.from('PK fake jar bytes');
    writeFileSync(join(jarDir, 'demo-1.0.jar'), bytes);
    jarSha = createHash('sha256').update(bytes).digest('hex');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fetchWith = (line: string, env: Record<string, string> = {}) => {
    const list = join(dir, `list-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(list, `# comment\n\n${line}\n`);
    const dest = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const r = spawnSync('sh', [join(ROOT, 'docker/fetch-kcl-jars.sh'), list, dest], {
      env: { ...process.env, MAVEN_REPO_URL: `file://${dir}/repo`, ...env },
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr, dest };
  };

  it('installs a jar whose SHA-256 matches the pin', () => {
    const r = fetchWith(`com.example demo 1.0 ${jarSha}`);
    expect(r.stderr).toContain('1 jars verified');
    expect(r.status).toBe(0);
    expect(readFileSync(join(r.dest, 'demo-1.0.jar'), 'utf8')).toBe('PK fake jar bytes');
  });

  it('refuses a jar whose bytes do not match the pin', () => {
    const r = fetchWith(`com.example demo 1.0 ${'0'.repeat(64)}`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('checksum mismatch for demo-1.0.jar');
  });

  it("checks an unpinned entry against the repository's .sha1, with a warning; a wrong .sha1 stops the build", () => {
    const sha1File = join(dir, 'repo/com/example/demo/1.0/demo-1.0.jar.sha1');
    writeFileSync(sha1File, `${createHash('sha1').update('PK fake jar bytes').digest('hex')}  demo-1.0.jar\n`);
    const ok = fetchWith('com.example demo 1.0 UNPINNED');
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain("demo-1.0.jar checked against the repository's .sha1 only");
    writeFileSync(sha1File, `${'0'.repeat(40)}\n`);
    const bad = fetchWith('com.example demo 1.0 UNPINNED');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('checksum mismatch for demo-1.0.jar');
    rmSync(sha1File);
  });

  it('with KCL_JARS_REQUIRE_PINS=true refuses an unpinned entry before downloading anything', () => {
    const r = fetchWith('com.example demo 1.0 UNPINNED', { KCL_JARS_REQUIRE_PINS: 'true' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('has no pinned sha256');
  });

  it('fails on a missing artifact', () => {
    const r = fetchWith(`com.example missing 1.0 ${jarSha}`);
    expect(r.status).not.toBe(0);
  });
});

describe('docker/pin-kcl-jars.sh (offline, file:// repository)', () => {
  let dir: string;
  const bytes = Buffer.from('PK another fake jar');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kcl-pin-'));
    const jarDir = join(dir, 'repo/com/example/demo/1.0');
    mkdirSync(jarDir, { recursive: true });
    writeFileSync(join(jarDir, 'demo-1.0.jar'), bytes);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pin = (sha1: string) => {
    writeFileSync(join(dir, 'repo/com/example/demo/1.0/demo-1.0.jar.sha1'), `${sha1}  demo-1.0.jar\n`);
    const list = join(dir, 'list.txt');
    writeFileSync(list, '# header\ncom.example demo 1.0 UNPINNED\n');
    const r = spawnSync('bash', [join(ROOT, 'docker/pin-kcl-jars.sh'), list], {
      env: { ...process.env, MAVEN_REPO_URL: `file://${dir}/repo` },
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr, list: readFileSync(list, 'utf8') };
  };

  it("records the SHA-256 of a jar that matches Maven Central's .sha1, keeping comments", () => {
    const r = pin(createHash('sha1').update(bytes).digest('hex'));
    expect(r.status).toBe(0);
    expect(r.list).toBe(`# header\ncom.example demo 1.0 ${createHash('sha256').update(bytes).digest('hex')}\n`);
  });

  it('refuses a jar that does not match its .sha1 and leaves the list untouched', () => {
    const r = pin('0'.repeat(40));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("does not match Maven Central's .sha1");
    expect(r.list).toBe('# header\ncom.example demo 1.0 UNPINNED\n');
  });
});

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
    fake(
      'node',
      'if [ "$2" = kcl-properties ]; then echo "executableName = node /app/dist/consumer/src/main.js kcl-processor"; exit 0; fi\necho "node pid=$$ args=$*"',
    );
    fake('java', 'echo "java pid=$$ args=$*"');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string>, args: string[] = []) => {
    const r = spawnSync('sh', [join(ROOT, 'docker/entrypoint.sh'), ...args], {
      env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, STATE_DIR: join(dir, 'state'), ...env },
      encoding: 'utf8',
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, pid: r.pid };
  };

  it('KCL mode: writes the properties, starts the shard monitor, then execs the MultiLangDaemon itself', () => {
    const r = run({ CONSUMER_MODE: 'kcl' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`java pid=${r.pid} `);
    expect(r.stdout).toMatch(/^node pid=(\d+) args=\/app\/dist\/consumer\/src\/main\.js shard-monitor$/m);
    expect(r.stdout).not.toContain(`node pid=${r.pid} args=/app/dist/consumer/src/main.js shard-monitor`);
    expect(r.stdout).toMatch(
      /-cp \/opt\/kcl\/jars\/\*:\S+ software\.amazon\.kinesis\.multilang\.MultiLangDaemon --properties-file \S+kcl\.properties --log-configuration \/app\/docker\/logback\.xml/,
    );
    expect(readFileSync(join(dir, 'state/kcl.properties'), 'utf8')).toContain('kcl-processor');
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

  it('fetches the jars at build time through the checksum-verifying script', () => {
    expect(dockerfile).toContain('RUN sh /tmp/fetch-kcl-jars.sh /tmp/kcl-jars.txt /opt/kcl/jars');
    expect(dockerfile).not.toMatch(/^ADD\s+https?:/m);
    expect(dockerfile).not.toMatch(/kcl-bootstrap/);
  });

  it('runtime: headless JRE, non-root user, HEALTHCHECK, tini + one entrypoint', () => {
    expect(runtime).toContain('openjdk-17-jre-headless');
    const user = /^USER (\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(0|root)(:|$)/);
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "\/app\/docker\/healthcheck\.js"\]$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "\/app\/docker\/entrypoint\.sh"\]$/m);
    expect(runtime).not.toMatch(/^ENV [^\n]*(KEY|PASSWORD|SECRET)=/m);
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
