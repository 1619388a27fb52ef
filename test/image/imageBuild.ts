import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { podman, requireTools } from '../harness/podman';

/**
 * The consumer image as CI builds it: buildah (no Docker engine) on a stand-in for node:22-bookworm-slim made by
 * scripts/image/stand-in-base.sh. One build at a time on the machine (a lock), so parallel test files and other
 * checkouts wait instead of building twice.
 */
const ROOT = join(__dirname, '..', '..');
export const STAND_IN = 'localhost/connect-wfm-node22-stand-in:latest';
/** Per checkout, so two checkouts testing at once never retag each other's image. */
export const IMAGE = `localhost/connect-wfm-test:${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`;
export const IMAGE_TOOLS = ['buildah', 'podman', 'runc', 'debootstrap'];

const exec = promisify(execFile);
const LOCK = join(tmpdir(), 'connect-wfm-image-build.lock');

export interface ImageBuild {
  image: string;
  seconds: number;
  /** Build steps and how many of them came from buildah's layer cache (0 = a cold build). */
  steps: number;
  cachedSteps: number;
  /** Build steps that ran, as `[stage/stages] STEP n/m: INSTRUCTION`. */
  ranSteps: string[];
  sizeBytes: number;
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      break;
    } catch {
      if (!lockHolderAlive()) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`the image build lock ${LOCK} is still held`);
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function lockHolderAlive(): boolean {
  try {
    process.kill(Number(readFileSync(join(LOCK, 'pid'), 'utf8')), 0);
    return true;
  } catch (error) {
    // No pid file yet: the holder is between mkdir and write.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function runLogged(command: string, args: string[], timeoutMillis: number): Promise<string> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd: ROOT, timeout: timeoutMillis, maxBuffer: 256 << 20 });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.slice(-6000)}`);
  }
}

/** The stand-in base (kept when its recipe is unchanged). */
export async function standInBase(): Promise<string> {
  requireTools(IMAGE_TOOLS);
  await withLock(() => runLogged(join(ROOT, 'scripts', 'image', 'stand-in-base.sh'), [STAND_IN], 10 * 60_000));
  return STAND_IN;
}

let built: Promise<ImageBuild> | undefined;

/** Builds the image from this checkout once per test process (buildah reuses unchanged layers). */
export function buildImage(): Promise<ImageBuild> {
  built ??= (async () => {
    const base = await standInBase();
    return withLock(async () => {
      const started = Date.now();
      const output = await runLogged(
        'buildah',
        [
          ...['--storage-driver', 'overlay', 'bud', '--isolation', 'chroot', '--format', 'docker', '--layers'],
          ...['--build-arg', `NODE_IMAGE=${base}`, '--tag', IMAGE, '.'],
        ],
        20 * 60_000,
      );
      const seconds = (Date.now() - started) / 1000;
      return { image: IMAGE, seconds, ...stepsOf(output), sizeBytes: await imageSize(IMAGE) };
    });
  })();
  return built;
}

/** buildah prints each step, then `--> Using cache <id>` when the step's layer was reused. */
function stepsOf(output: string): Pick<ImageBuild, 'steps' | 'cachedSteps' | 'ranSteps'> {
  const lines = output.split('\n');
  const ranSteps: string[] = [];
  let steps = 0;
  let cachedSteps = 0;
  lines.forEach((line, i) => {
    if (!/^\[\d+\/\d+\] STEP \d+\/\d+: /.test(line)) return;
    steps++;
    const next = lines.slice(i + 1).find((l) => l.startsWith('-->') || /^\[\d+\/\d+\] STEP /.test(l)) ?? '';
    if (next.startsWith('--> Using cache')) cachedSteps++;
    else if (!/STEP \d+\/\d+: FROM /.test(line)) ranSteps.push(line);
  });
  return { steps, cachedSteps, ranSteps };
}

export async function imageSize(image: string): Promise<number> {
  return Number((await podman(['image', 'inspect', image, '--format', '{{.Size}}'])).stdout.trim());
}
