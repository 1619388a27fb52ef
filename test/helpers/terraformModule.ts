import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

/**
 * A Terraform module as @cdktf/hcl2json sees it, flattened into lists the checks can walk. Parsing only: no
 * terraform binary, no provider schema. Blocks are arrays of objects, attributes are values, and expressions stay
 * strings of the form "${...}".
 */

export type HclBody = Record<string, unknown>;

export interface TfBlock {
  file: string;
  /** Resource or data type (aws_sqs_queue), or the block name for variables, outputs and locals. */
  type: string;
  name: string;
  body: HclBody;
}

export interface TfModule {
  files: string[];
  resources: TfBlock[];
  data: TfBlock[];
  variables: TfBlock[];
  outputs: TfBlock[];
  /** One entry per local value; body is { value }. */
  locals: TfBlock[];
  modules: TfBlock[];
  /** Everything else at the top level (terraform, provider, check, ...), for reference scanning. */
  other: TfBlock[];
}

const asRecord = (v: unknown): HclBody => (v && typeof v === 'object' && !Array.isArray(v) ? (v as HclBody) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Parse { 'file.tf': source } into one module. A syntax error rejects with hcl2json's file:line message. */
export async function parseTerraformSources(sources: Record<string, string>): Promise<TfModule> {
  const mod: TfModule = {
    files: [],
    resources: [],
    data: [],
    variables: [],
    outputs: [],
    locals: [],
    modules: [],
    other: [],
  };
  for (const [file, source] of Object.entries(sources)) {
    const json = asRecord(await parse(file, source));
    mod.files.push(file);
    for (const [kind, value] of Object.entries(json)) {
      if (kind === 'resource' || kind === 'data') {
        for (const [type, byName] of Object.entries(asRecord(value))) {
          for (const [name, bodies] of Object.entries(asRecord(byName))) {
            for (const body of asArray(bodies)) {
              (kind === 'resource' ? mod.resources : mod.data).push({ file, type, name, body: asRecord(body) });
            }
          }
        }
      } else if (kind === 'module') {
        for (const [name, bodies] of Object.entries(asRecord(value))) {
          mod.modules.push({ file, type: 'module', name, body: asRecord(asArray(bodies)[0]) });
        }
      } else if (kind === 'variable' || kind === 'output') {
        for (const [name, bodies] of Object.entries(asRecord(value))) {
          const body = asRecord(asArray(bodies)[0]);
          (kind === 'variable' ? mod.variables : mod.outputs).push({ file, type: kind, name, body });
        }
      } else if (kind === 'locals') {
        for (const block of asArray(value)) {
          for (const [name, v] of Object.entries(asRecord(block))) {
            mod.locals.push({ file, type: 'local', name, body: { value: v } });
          }
        }
      } else {
        // terraform {} and check {} come as arrays of bodies; provider/moved/import as objects.
        for (const body of Array.isArray(value) ? value : [value]) {
          mod.other.push({ file, type: kind, name: kind, body: asRecord(body) });
        }
      }
    }
  }
  return mod;
}

/** Parse every *.tf file of one directory (not its subdirectories, as Terraform does). */
export async function loadTerraformModule(dir: string): Promise<TfModule> {
  const sources: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort()) {
    sources[file] = readFileSync(join(dir, file), 'utf8');
  }
  return parseTerraformSources(sources);
}

/** Every string anywhere inside a value (object keys included, since hcl2json keeps interpolated keys). */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('${')) out.push(k);
      stringsIn(v, out);
    }
  }
  return out;
}

/** The expression parts ("${...}" bodies) of a string, with nested braces balanced. */
export function expressionsIn(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf('${');
  while (i !== -1) {
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) break;
    }
    out.push(text.slice(i + 2, j));
    i = text.indexOf('${', j);
  }
  return out;
}

export interface TfReferences {
  variables: Set<string>;
  locals: Set<string>;
  /** "type.name" */
  resources: Set<string>;
  /** "type.name" (without the data. prefix) */
  data: Set<string>;
  modules: Set<string>;
}

const PROVIDER_PREFIX = /^(aws|grafana)_/;

/** The references made by a value: var.x, local.x, data.t.n and resource t.n (aws_* and grafana_* types). */
export function referencesIn(value: unknown): TfReferences {
  const refs: TfReferences = {
    variables: new Set(),
    locals: new Set(),
    resources: new Set(),
    data: new Set(),
    modules: new Set(),
  };
  for (const s of stringsIn(value)) {
    for (let expr of expressionsIn(s)) {
      for (const m of expr.matchAll(/(?<![\w.])data\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)/g))
        refs.data.add(`${m[1]}.${m[2]}`);
      expr = expr.replace(/(?<![\w.])data\.[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*/g, ' ');
      for (const m of expr.matchAll(/(?<![\w.])var\.([A-Za-z_][\w-]*)/g)) refs.variables.add(m[1]!);
      for (const m of expr.matchAll(/(?<![\w.])module\.([A-Za-z_][\w-]*)/g)) refs.modules.add(m[1]!);
      for (const m of expr.matchAll(/(?<![\w.])local\.([A-Za-z_][\w-]*)/g)) refs.locals.add(m[1]!);
      for (const m of expr.matchAll(/(?<![\w.:])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g)) {
        if (PROVIDER_PREFIX.test(m[1]!)) refs.resources.add(`${m[1]}.${m[2]}`);
      }
    }
  }
  return refs;
}

/** Blocks of a body, by name: `statement { }` blocks plus the content of `dynamic "statement"` blocks. */
export function nestedBlocks(body: HclBody, name: string): HclBody[] {
  const direct = asArray(body[name]).map(asRecord);
  const dynamic = asArray(asRecord(body['dynamic'])[name]).flatMap((d) =>
    asArray(asRecord(d)['content']).map(asRecord),
  );
  return [...direct, ...dynamic];
}

/** An attribute as a list of strings (a literal list, or a single expression string). */
export function stringList(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

export { asArray, asRecord };
