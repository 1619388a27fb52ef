import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real terraform CLI, offline: the binary from the PATH and the hashicorp/aws provider from a local mirror
 * (`terraform init -plugin-dir`). Each workspace is a temporary copy of a module tree with its own TF_DATA_DIR and an
 * empty CLI configuration, so runs never write into the repository and parallel jest workers never share state.
 */

/** terraform test's override_during (used by tests/iam.tftest.hcl) needs 1.11. */
const MIN_VERSION = [1, 11];

/** Where machine images put a provider mirror; the directory that holds registry.terraform.io/hashicorp/aws/. */
const KNOWN_MIRROR_ROOTS = [
  '/opt/tf-plugins',
  '/usr/local/share/terraform/plugins',
  '/usr/share/terraform/plugins',
  join(homedir(), '.terraform.d', 'plugins'),
  join(homedir(), '.local', 'share', 'terraform', 'plugins'),
];

const AWS_PROVIDER = join('registry.terraform.io', 'hashicorp', 'aws');

export interface TerraformRun {
  status: number | null;
  /** stdout and stderr, in that order, for failure messages. */
  output: string;
}

/** One line naming what is missing, or the terraform version. */
export function requireTerraform(): string {
  const r = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env: quietEnv() });
  if (r.error || r.status !== 0)
    throw new Error('terraform is not on the PATH: CI machines provide Terraform 1.11.4 (needed: >= 1.11)');
  const version = String((JSON.parse(r.stdout) as { terraform_version: string }).terraform_version);
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < MIN_VERSION[0]! || (major === MIN_VERSION[0] && minor < MIN_VERSION[1]!))
    throw new Error(`terraform ${version} is too old: terraform test with override_during needs >= 1.11`);
  return version;
}

/** The provider mirror root: TF_PLUGIN_MIRROR, a known root, else a search of the file system (as the docs say). */
export function findProviderMirror(): string {
  const candidates = [process.env.TF_PLUGIN_MIRROR, ...KNOWN_MIRROR_ROOTS].filter((d): d is string => !!d);
  const hasAws = (root: string): boolean => {
    const dir = join(root, AWS_PROVIDER);
    return existsSync(dir) && readdirSync(dir).length > 0;
  };
  const known = candidates.find(hasAws);
  if (known) return known;
  const found = spawnSync(
    'find',
    ['/', '-maxdepth', '9', '-path', `*${AWS_PROVIDER}*`, '-name', 'terraform-provider-aws*', '-print', '-quit'],
    { encoding: 'utf8', timeout: 60000 },
  );
  const binary = found.stdout?.trim().split('\n')[0];
  const at = binary ? binary.indexOf(`/${AWS_PROVIDER}/`) : -1;
  if (!binary || at === -1)
    throw new Error(
      `no hashicorp/aws provider mirror (looked in ${candidates.join(', ')} and searched /): CI machines provide ${AWS_PROVIDER}/5.100.0`,
    );
  return binary.slice(0, at);
}

function quietEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...extra };
}

/** A temporary copy of a module tree in which terraform commands run offline. */
export class TerraformWorkspace {
  readonly root: string;
  private readonly home: string;
  private readonly cliConfig: string;
  private readonly initialised = new Map<string, TerraformRun>();

  constructor(
    source: string,
    private readonly mirror: string,
  ) {
    this.home = mkdtempSync(join(tmpdir(), 'connect-wfm-tf-'));
    this.root = join(this.home, 'module');
    cpSync(source, this.root, {
      recursive: true,
      filter: (path) => !/(^|\/)(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*)$/.test(path),
    });
    // An empty CLI configuration: no user or machine setting (a network mirror, a plugin cache) changes the run.
    this.cliConfig = join(this.home, 'terraformrc');
    writeFileSync(this.cliConfig, '');
  }

  /** Runs `terraform <args>` in `dir` (relative to the copy); each dir has its own data dir. */
  run(dir: string, args: string[], timeoutMillis = 300000): TerraformRun {
    const r = spawnSync('terraform', [...args, '-no-color'], {
      cwd: join(this.root, dir),
      encoding: 'utf8',
      timeout: timeoutMillis,
      maxBuffer: 64 * 1024 * 1024,
      env: quietEnv({
        TF_CLI_CONFIG_FILE: this.cliConfig,
        TF_DATA_DIR: join(this.home, 'data', dir.replace(/[^A-Za-z0-9]+/g, '_') || 'root'),
      }),
    });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
    return { status: r.status, output };
  }

  /** `terraform init -backend=false -plugin-dir=<mirror>` (never contacts a registry), once per dir. */
  initOnce(dir: string): TerraformRun {
    let r = this.initialised.get(dir);
    if (!r) {
      r = this.run(dir, ['init', '-backend=false', `-plugin-dir=${this.mirror}`, '-input=false']);
      this.initialised.set(dir, r);
    }
    return r;
  }

  remove(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** A failed run as one readable error: the command, the exit status and terraform's own output. */
export function expectSuccess(what: string, r: TerraformRun): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.output}`);
  return r.output;
}
