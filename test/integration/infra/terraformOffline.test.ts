import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_METRIC_NAMES } from '../../../common/observability/metricNames';
import { expectSuccess, findProviderMirror, requireTerraform, TerraformWorkspace } from '../../harness/terraform';

/**
 * infra/terraform with the real terraform CLI and no network: fmt, init from the machine's provider mirror and
 * validate (the root and every example that needs no registry), then the module's own `terraform test` suites
 * (plan and apply on a mocked AWS provider; IAM rendered by the real provider). Runs in a temporary copy.
 */

const MODULE_DIR = join(__dirname, '../../../infra/terraform');
const EXAMPLES = readdirSync(join(MODULE_DIR, 'examples'));
const SUITES = readdirSync(join(MODULE_DIR, 'tests'))
  .filter((f) => f.endsWith('.tftest.hcl'))
  .sort();
const TIMEOUT = 600000;

/** What an example needs that a mirror of hashicorp/aws cannot give: registry modules and other providers. */
function registryNeeds(example: string): string[] {
  const dir = join(MODULE_DIR, 'examples', example);
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  return [...text.matchAll(/^\s*source\s*=\s*"([^"]+)"/gm)]
    .map((m) => m[1]!)
    .filter((source) => !source.startsWith('./') && !source.startsWith('../') && source !== 'hashicorp/aws');
}

const OFFLINE_EXAMPLES = EXAMPLES.filter((e) => registryNeeds(e).length === 0);

let ws: TerraformWorkspace | undefined;

beforeAll(() => {
  requireTerraform();
  ws = new TerraformWorkspace(MODULE_DIR, findProviderMirror());
}, TIMEOUT);

afterAll(() => ws?.remove());

const workspace = (): TerraformWorkspace => {
  if (!ws) throw new Error('the terraform workspace was not set up (see the first failure)');
  return ws;
};

describe('infra/terraform with the terraform CLI, offline', () => {
  it('is formatted (terraform fmt -check -recursive)', () => {
    expectSuccess('terraform fmt -check -recursive', workspace().run('.', ['fmt', '-check', '-recursive', '-diff']));
  });

  it('the root module initialises from the provider mirror alone and validates', () => {
    const ws = workspace();
    expectSuccess('terraform init (root)', ws.initOnce('.'));
    expect(expectSuccess('terraform validate (root)', ws.run('.', ['validate']))).toContain(
      'Success! The configuration is valid.',
    );
  });

  it('has an example that validates offline; the others need the registry, and say for what', () => {
    expect(OFFLINE_EXAMPLES).toContain('existing-vpc');
    expect(
      EXAMPLES.filter((e) => !OFFLINE_EXAMPLES.includes(e)).map((e) => `${e}: ${registryNeeds(e).join(', ')}`),
    ).toEqual(['complete: terraform-aws-modules/vpc/aws, grafana/grafana']);
  });

  it.each(OFFLINE_EXAMPLES)('examples/%s initialises from the provider mirror alone and validates', (name) => {
    const ws = workspace();
    const dir = join('examples', name);
    expectSuccess(`terraform init (examples/${name})`, ws.initOnce(dir));
    expect(expectSuccess(`terraform validate (examples/${name})`, ws.run(dir, ['validate']))).toContain(
      'Success! The configuration is valid.',
    );
  });

  it.each(SUITES)(
    'terraform test: tests/%s passes every run',
    (suite) => {
      const ws = workspace();
      expectSuccess('terraform init (root)', ws.initOnce('.'));
      // The dashboard suite checks the CloudWatch dashboard against the metrics the product emits.
      const vars =
        suite === 'dashboards.tftest.hcl' ? ['-var', `product_metric_names=${JSON.stringify(ALL_METRIC_NAMES)}`] : [];
      const out = expectSuccess(
        `terraform test tests/${suite}`,
        ws.run('.', ['test', `-filter=tests/${suite}`, ...vars]),
      );
      expect(out).toMatch(/Success! [1-9]\d* passed, 0 failed\./);
    },
    TIMEOUT,
  );
});
