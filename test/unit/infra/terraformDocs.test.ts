import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTerraformModule, parseTerraformSources } from '../../helpers/terraformModule';
import { renderInputsTable, withRenderedTables } from '../../helpers/terraformDocs';

/**
 * The README's inputs/outputs tables are generated from variables.tf and outputs.tf and must be current.
 * Regenerate: UPDATE_TF_DOCS=1 npx jest test/unit/infra/terraformDocs.test.ts
 */

const MODULE_DIR = join(__dirname, '../../../infra/terraform');
const README = join(MODULE_DIR, 'README.md');

describe('README inputs and outputs tables', () => {
  it('match variables.tf and outputs.tf', async () => {
    // Prepare
    const mod = await loadTerraformModule(MODULE_DIR);
    if (process.env.UPDATE_TF_DOCS === '1')
      writeFileSync(README, withRenderedTables(readFileSync(README, 'utf8'), mod));
    const readme = readFileSync(README, 'utf8');
    // Act
    const rendered = withRenderedTables(readme, mod);
    // Assess
    expect(readme).toBe(rendered);
  });

  it('renders type, default and required, and notices a changed description', async () => {
    const mod = await parseTerraformSources({
      'variables.tf': `
        variable "b" {
          description = "needed | piped"
          type        = map(string)
        }
        variable "a" {
          description = "optional"
          type        = number
          default     = 3
        }`,
    });
    const table = renderInputsTable(mod);
    expect(table.split('\n').slice(2, 4)).toEqual([
      '| `a` | optional | `number` | `3` | no |',
      '| `b` | needed \\| piped | `map(string)` | n/a | yes |',
    ]);
    mod.variables[0]!.body['description'] = 'changed';
    expect(renderInputsTable(mod)).not.toBe(table);
  });
});
