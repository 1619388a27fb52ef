import type { TfModule } from './terraformModule';

/**
 * The README's Inputs and Outputs tables rendered from the parsed module (a terraform-docs stand-in that needs no
 * binary). test/unit/infra/terraformDocs.test.ts keeps the README equal to this rendering.
 */

const cell = (s: unknown): string => String(s).replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
const typeOf = (t: unknown): string => cell(String(t).replace(/^\$\{([\s\S]*)\}$/, '$1'));

export function renderInputsTable(m: TfModule): string {
  const rows = [...m.variables]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((v) => {
      const hasDefault = 'default' in v.body;
      const def = hasDefault ? `\`${cell(JSON.stringify(v.body['default']))}\`` : 'n/a';
      return `| \`${v.name}\` | ${cell(v.body['description'])} | \`${typeOf(v.body['type'])}\` | ${def} | ${hasDefault ? 'no' : 'yes'} |`;
    });
  return ['| Name | Description | Type | Default | Required |', '|---|---|---|---|:---:|', ...rows].join('\n') + '\n';
}

export function renderOutputsTable(m: TfModule): string {
  const rows = [...m.outputs]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((o) => `| \`${o.name}\` | ${cell(o.body['description'])} |`);
  return ['| Name | Description |', '|---|---|', ...rows].join('\n') + '\n';
}

/** The README with everything from "## Inputs" on replaced by freshly rendered tables. */
export function withRenderedTables(readme: string, m: TfModule): string {
  const at = readme.indexOf('\n## Inputs\n');
  const head = at === -1 ? readme.trimEnd() + '\n' : readme.slice(0, at + 1);
  return `${head}## Inputs\n\n${renderInputsTable(m)}\n## Outputs\n\n${renderOutputsTable(m)}`;
}
