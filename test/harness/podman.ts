import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Containers without a Docker engine: Debian's podman with runc (crun refuses these machines' hybrid cgroups) and
 * explicit rlimits (podman's defaults fail with EPERM without CAP_SYS_RESOURCE). Needs root.
 */
const run = promisify(execFile);

/** Fails with one line naming what is missing (never a skip). */
export function requireTools(tools: readonly string[]): void {
  const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0)
    throw new Error(
      `missing tool(s) for the image tests: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`,
    );
  if (process.getuid?.() !== 0) throw new Error('the image tests need root (buildah and podman run rootful here)');
}

export const PODMAN_RUN = [
  '--runtime',
  'runc',
  'run',
  '--network',
  'host',
  '--ulimit',
  'nofile=20000:20000',
  '--ulimit',
  'nproc=32768:32768',
];

export async function podman(args: string[], timeoutMillis = 120000): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run('podman', args, { timeout: timeoutMillis, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number | string };
    throw new Error(`podman ${args.join(' ')} failed (${e.code}): ${e.stderr ?? ''}${e.stdout ?? ''}`.slice(0, 4000));
  }
}

/** The exit code of a podman command (which may legitimately be non-zero, e.g. `healthcheck run`). */
export async function podmanStatus(args: string[], timeoutMillis = 60000): Promise<number> {
  try {
    await run('podman', args, { timeout: timeoutMillis });
    return 0;
  } catch (error) {
    const code = (error as { code?: number | string }).code;
    if (typeof code === 'number') return code;
    throw error;
  }
}

export const containerLogs = async (name: string): Promise<string> => {
  const { stdout, stderr } = await podman(['logs', name]).catch(() => ({ stdout: '', stderr: '' }));
  return stdout + stderr;
};

/** Removes containers and volumes left by a test, whatever their state. */
export async function removeContainers(names: readonly string[], volumes: readonly string[] = []): Promise<void> {
  if (names.length > 0) await podman(['rm', '--force', '--time', '0', ...names]).catch(() => undefined);
  if (volumes.length > 0) await podman(['volume', 'rm', '--force', ...volumes]).catch(() => undefined);
}
