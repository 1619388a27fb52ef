import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKclDaemonConfig } from '../../../../common/config/loadConfig';
import { ConfigError } from '../../../../common/errors';
import { createLogger } from '../../../../common/logging/logger';
import { runKclDaemon } from '../../../../consumer/src/runtime/kcl/runKclDaemon';

/**
 * kcl-daemon's supervision of the JVM, with a stand-in `java` script: what it is started with, how a shutdown is
 * forwarded, and what happens when the daemon exits unasked (MultiLang's System.exit after a child died).
 */
describe('runKclDaemon', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kcl-daemon-'));
  const jars = join(dir, 'jars');
  mkdirSync(jars);
  writeFileSync(join(jars, 'amazon-kinesis-client-multilang-3.1.3.jar'), '');
  let lines: string[] = [];
  const logger = createLogger({ sink: (line) => lines.push(line), level: 'info' });
  beforeEach(() => (lines = []));
  const config = (env: Record<string, string> = {}) =>
    loadKclDaemonConfig({ KINESIS_STREAM_NAME: 'agents', KCL_JAR_DIR: jars, STATE_DIR: dir, ...env });

  /** A `java` that appends its arguments to a file, then runs `body`. */
  function fakeJava(name: string, body: string): { path: string; calls: () => string[] } {
    const path = join(dir, name);
    const calls = join(dir, `${name}.calls`);
    // The trap is set before the call is recorded, so a SIGTERM after the record always finds it.
    writeFileSync(
      path,
      `#!/bin/sh\n${body.startsWith('trap') ? body.split('\n')[0] + '\n' : ''}echo "$*" >> ${calls}\n${body}\n`,
    );
    chmodSync(path, 0o755);
    return { path, calls: () => readFileSync(calls, 'utf8').trim().split('\n') };
  }

  test('runs the MultiLangDaemon class with the jars, its properties and log configuration; SIGTERM ends it with 0', async () => {
    // Prepare
    const java = fakeJava('java-ok', "trap 'exit 143' TERM\nwhile true; do sleep 0.05; done");
    // Act
    const running = runKclDaemon({
      config: config({ JAVA_OPTS: '-Xmx64m' }),
      workerId: 'w-1',
      logger,
      propertiesFile: join(dir, 'kcl.properties'),
      java: java.path,
    });
    // The daemon is up once it has recorded its start; waiting for that, not for a time, keeps this deterministic
    while (!existsSync(`${java.path}.calls`)) await new Promise((r) => setTimeout(r, 20));
    process.emit('SIGTERM');
    const code = await running;
    // Assess
    expect(java.calls()).toEqual([
      `-Xmx64m -cp ${jars}/*:${dir} software.amazon.kinesis.multilang.MultiLangDaemon --properties-file ${join(dir, 'kcl.properties')} --log-configuration ${join(__dirname, '../../../../docker/logback.xml')}`,
    ]);
    expect(readFileSync(join(dir, 'kcl.properties'), 'utf8')).toMatch(/^workerId = w-1$/m);
    // SIGTERM was forwarded; the daemon's exit after a requested shutdown is 0, and the handlers are gone
    expect(code).toBe(0);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  test('a daemon that keeps exiting right after its start is restarted with back-off, then given up with its code', async () => {
    // Prepare
    const java = fakeJava('java-crash', 'exit 3');
    // Act
    const code = await runKclDaemon({
      config: config(),
      workerId: 'w-2',
      logger,
      propertiesFile: join(dir, 'kcl-2.properties'),
      java: java.path,
      restartDelayMillis: 10,
    });
    // Assess
    expect(code).toBe(3);
    expect(java.calls()).toHaveLength(5);
    expect(lines.filter((l) => l.includes('restarting it'))).toHaveLength(4);
    expect(lines.some((l) => l.includes('giving up'))).toBe(true);
  });

  test('a jar directory without the MultiLang jar is a configuration error that says what to run', async () => {
    const run = runKclDaemon({
      config: config({ KCL_JAR_DIR: join(dir, 'nothing-here') }),
      workerId: 'w-4',
      logger,
      propertiesFile: join(dir, 'kcl-4.properties'),
    });
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/npm run kcl:jars/);
  });
});
