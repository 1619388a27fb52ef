import {
  asArray,
  asRecord,
  expressionsIn,
  nestedBlocks,
  referencesIn,
  stringList,
  stringsIn,
  type HclBody,
  type TfBlock,
  type TfModule,
} from './terraformModule';

/**
 * Pure checks over a parsed Terraform module. Each returns the findings (empty = pass) so a test can show every
 * problem at once, and each is also run against a tiny broken module to prove it can fail.
 */

export interface Finding {
  check: string;
  where: string;
  message: string;
}

const where = (b: TfBlock): string => `${b.file}: ${b.type === b.name ? b.type : `${b.type}.${b.name}`}`;
const allBlocks = (m: TfModule): TfBlock[] => [
  ...m.resources,
  ...m.data,
  ...m.variables,
  ...m.outputs,
  ...m.locals,
  ...m.modules,
  ...m.other,
];

/** A variable used but not declared, or declared but never used (a variable's own validation does not count). */
export function checkVariables(m: TfModule): Finding[] {
  const declared = new Set(m.variables.map((v) => v.name));
  const used = new Map<string, string>();
  for (const b of allBlocks(m)) {
    for (const name of referencesIn(b.body).variables) {
      if (b.type === 'variable' && b.name === name) continue;
      if (!used.has(name)) used.set(name, where(b));
    }
  }
  const findings: Finding[] = [];
  for (const [name, at] of used) {
    if (!declared.has(name))
      findings.push({ check: 'variables', where: at, message: `var.${name} is used but not declared` });
  }
  for (const v of m.variables) {
    if (!used.has(v.name))
      findings.push({ check: 'variables', where: where(v), message: `var.${v.name} is declared but never used` });
    if (typeof v.body['description'] !== 'string' || !v.body['description']) {
      findings.push({ check: 'variables', where: where(v), message: `var.${v.name} has no description` });
    }
    if (v.body['type'] === undefined)
      findings.push({ check: 'variables', where: where(v), message: `var.${v.name} has no type` });
  }
  return findings;
}

const isMulti = (b: TfBlock): boolean => b.body['count'] !== undefined || b.body['for_each'] !== undefined;

/**
 * How a resource is addressed: one with count/for_each must be indexed (`aws_x.y[0].id`) or iterated, never read as
 * `aws_x.y.id`; one without must not be indexed.
 */
function indexingFindings(b: TfBlock, m: TfModule): Finding[] {
  const findings: Finding[] = [];
  const targets = new Map([...m.resources, ...m.data].map((r) => [`${r.type}.${r.name}`, r]));
  for (const s of stringsIn(b.body)) {
    for (const e of expressionsIn(s)) {
      for (const match of e.matchAll(/(?<![\w.:])(data\.)?((?:aws|grafana)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)(\.|\[)?/g)) {
        const target = targets.get(`${match[2]}.${match[3]}`);
        if (!target || (match[1] === 'data.') !== m.data.includes(target)) continue;
        const ref = `${match[1] ?? ''}${match[2]}.${match[3]}`;
        if (isMulti(target) && match[4] === '.') {
          findings.push({ check: 'references', where: where(b), message: `${ref} has count/for_each: index it` });
        } else if (!isMulti(target) && match[4] === '[') {
          findings.push({
            check: 'references',
            where: where(b),
            message: `${ref} has no count/for_each: do not index it`,
          });
        }
      }
    }
  }
  return findings;
}

/** Every resource, data source and local that is referenced must exist in the module. */
export function checkReferences(m: TfModule): Finding[] {
  const resources = new Set(m.resources.map((r) => `${r.type}.${r.name}`));
  const data = new Set(m.data.map((d) => `${d.type}.${d.name}`));
  const locals = new Set(m.locals.map((l) => l.name));
  const modules = new Set(m.modules.map((x) => x.name));
  const findings: Finding[] = [];
  for (const b of allBlocks(m)) {
    const refs = referencesIn(b.body);
    for (const r of refs.resources) {
      if (!resources.has(r)) findings.push({ check: 'references', where: where(b), message: `${r} is not declared` });
    }
    for (const d of refs.data) {
      if (!data.has(d)) findings.push({ check: 'references', where: where(b), message: `data.${d} is not declared` });
    }
    for (const l of refs.locals) {
      if (!locals.has(l))
        findings.push({ check: 'references', where: where(b), message: `local.${l} is not declared` });
    }
    for (const x of refs.modules) {
      if (!modules.has(x))
        findings.push({ check: 'references', where: where(b), message: `module.${x} is not declared` });
    }
    findings.push(...indexingFindings(b, m));
  }
  return findings;
}

const isWildcardAction = (a: string): boolean => a === '*' || /^[a-z0-9-]+:\*$/i.test(a);

/**
 * IAM: an Allow statement with Action "*" (or "service:*"), NotAction, Resource "*" or NotResource needs a sid whose
 * reason is written in local.iam_wildcard_reasons; an Allow to Principal "*" needs a condition. Policies must be
 * built with aws_iam_policy_document (a hand-written jsonencode policy would escape this check).
 */
export function checkIamPolicies(m: TfModule): Finding[] {
  const reasonsLocal = m.locals.find((l) => l.name === 'iam_wildcard_reasons');
  const reasons = asRecord(reasonsLocal?.body['value']);
  const findings: Finding[] = [];
  for (const doc of m.data.filter((d) => d.type === 'aws_iam_policy_document')) {
    for (const st of nestedBlocks(doc.body, 'statement')) {
      const effect = typeof st['effect'] === 'string' ? st['effect'] : 'Allow';
      if (effect !== 'Allow') continue;
      const sid = typeof st['sid'] === 'string' ? st['sid'] : '';
      const label = `${where(doc)} statement ${sid || '(no sid)'}`;
      const wild: string[] = [];
      if (stringList(st['actions']).some(isWildcardAction)) wild.push('Action "*"');
      if (st['not_actions'] !== undefined) wild.push('NotAction');
      if (stringList(st['resources']).includes('*')) wild.push('Resource "*"');
      if (st['not_resources'] !== undefined) wild.push('NotResource');
      if (wild.length > 0) {
        const reason = reasons[sid];
        if (typeof reason !== 'string' || reason.trim().length < 20) {
          findings.push({
            check: 'iam',
            where: label,
            message: `grants ${wild.join(' and ')} without a documented reason in local.iam_wildcard_reasons`,
          });
        }
      }
      const openPrincipal = nestedBlocks(st, 'principals').some(
        (p) => p['type'] === '*' || stringList(p['identifiers']).includes('*'),
      );
      if (openPrincipal && nestedBlocks(st, 'condition').length === 0) {
        findings.push({ check: 'iam', where: label, message: 'allows Principal "*" without a condition' });
      }
    }
  }
  for (const r of m.resources) {
    for (const attr of ['policy', 'assume_role_policy']) {
      const v = r.body[attr];
      if (v === undefined) continue;
      if (typeof v !== 'string' || !/^\$\{data\.aws_iam_policy_document\.[\w-]+\.json\}$/.test(v)) {
        findings.push({
          check: 'iam',
          where: where(r),
          message: `${attr} must be data.aws_iam_policy_document.<name>.json`,
        });
      }
    }
    for (const s of stringsIn(r.body)) {
      for (const e of expressionsIn(s)) {
        if (/jsonencode\s*\(/.test(e) && /\bStatement\b/.test(e)) {
          findings.push({
            check: 'iam',
            where: where(r),
            message: 'inline jsonencode policy: use aws_iam_policy_document',
          });
        }
      }
    }
  }
  for (const r of m.resources.filter((x) => x.type === 'aws_iam_user' || x.type === 'aws_iam_access_key')) {
    findings.push({ check: 'iam', where: where(r), message: 'long-lived IAM users and access keys are not allowed' });
  }
  return findings;
}

/** Resources of `type` whose `attr` references aws_s3_bucket.<name>. */
const attachedTo = (m: TfModule, type: string, target: string): TfBlock[] =>
  m.resources.filter((r) => r.type === type && referencesIn(r.body['bucket']).resources.has(target));

/** Each bucket: all four public-access blocks on, default encryption, and a policy denying non-TLS access. */
export function checkBuckets(m: TfModule): Finding[] {
  const findings: Finding[] = [];
  for (const b of m.resources.filter((r) => r.type === 'aws_s3_bucket')) {
    const target = `aws_s3_bucket.${b.name}`;
    const pab = attachedTo(m, 'aws_s3_bucket_public_access_block', target);
    const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
    if (!pab.some((p) => flags.every((f) => p.body[f] === true))) {
      findings.push({
        check: 'buckets',
        where: where(b),
        message: 'no public access block with all four settings true',
      });
    }
    const sse = attachedTo(m, 'aws_s3_bucket_server_side_encryption_configuration', target);
    const encrypted = sse.some((s) =>
      nestedBlocks(s.body, 'rule').some((rule) =>
        nestedBlocks(rule, 'apply_server_side_encryption_by_default').some((d) => d['sse_algorithm'] !== undefined),
      ),
    );
    if (!encrypted) findings.push({ check: 'buckets', where: where(b), message: 'no default server-side encryption' });
    const policies = attachedTo(m, 'aws_s3_bucket_policy', target);
    const tlsOnly = policies.some((p) => {
      const docName = /data\.aws_iam_policy_document\.([\w-]+)\.json/.exec(String(p.body['policy']))?.[1];
      const doc = m.data.find((d) => d.type === 'aws_iam_policy_document' && d.name === docName);
      return (
        doc !== undefined &&
        nestedBlocks(doc.body, 'statement').some(
          (st) =>
            st['effect'] === 'Deny' &&
            nestedBlocks(st, 'condition').some(
              (c) => c['variable'] === 'aws:SecureTransport' && stringList(c['values']).includes('false'),
            ),
        )
      );
    });
    if (!tlsOnly)
      findings.push({
        check: 'buckets',
        where: where(b),
        message: 'no bucket policy denying aws:SecureTransport = false',
      });
  }
  return findings;
}

/** Each queue has a redrive policy to a dead-letter queue (unless it is one) and server-side encryption. */
export function checkQueues(m: TfModule): Finding[] {
  const queues = m.resources.filter((r) => r.type === 'aws_sqs_queue');
  const deadLetterTargets = new Set<string>();
  for (const q of queues) {
    const redrive = q.body['redrive_policy'];
    if (typeof redrive === 'string' && /deadLetterTargetArn/.test(redrive)) {
      for (const r of referencesIn(redrive).resources) deadLetterTargets.add(r);
    }
  }
  const findings: Finding[] = [];
  for (const q of queues) {
    if (
      !deadLetterTargets.has(`aws_sqs_queue.${q.name}`) &&
      !(typeof q.body['redrive_policy'] === 'string' && /deadLetterTargetArn/.test(q.body['redrive_policy']))
    ) {
      findings.push({
        check: 'queues',
        where: where(q),
        message: 'no dead-letter queue (redrive_policy with deadLetterTargetArn)',
      });
    }
    if (q.body['sqs_managed_sse_enabled'] === undefined && q.body['kms_master_key_id'] === undefined) {
      findings.push({ check: 'queues', where: where(q), message: 'no server-side encryption' });
    }
  }
  return findings;
}

/** Each log group sets a retention (never forever); each Lambda function has its log group declared. */
export function checkLogGroups(m: TfModule): Finding[] {
  const findings: Finding[] = [];
  const groups = m.resources.filter((r) => r.type === 'aws_cloudwatch_log_group');
  for (const g of groups) {
    const days = g.body['retention_in_days'];
    if (days === undefined || days === null || days === 0) {
      findings.push({
        check: 'log-groups',
        where: where(g),
        message: 'no retention_in_days (logs would be kept forever)',
      });
    }
  }
  for (const f of m.resources.filter((r) => r.type === 'aws_lambda_function')) {
    const expected = `/aws/lambda/${String(f.body['function_name'])}`;
    if (!groups.some((g) => g.body['name'] === expected)) {
      findings.push({
        check: 'log-groups',
        where: where(f),
        message: `no log group ${expected} (Lambda would create one without retention)`,
      });
    }
  }
  return findings;
}

/**
 * Each taggable resource sets tags from local.tags (or var.tags); each resource type must be classified as taggable
 * or not, so a new type cannot slip through untagged.
 */
export function checkTags(m: TfModule, taggable: ReadonlySet<string>, untaggable: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  for (const r of m.resources) {
    if (untaggable.has(r.type)) continue;
    if (!taggable.has(r.type)) {
      findings.push({
        check: 'tags',
        where: where(r),
        message: `${r.type} is not classified as taggable or untaggable`,
      });
      continue;
    }
    const tags = r.body['tags'];
    const refs = referencesIn(tags);
    if (!refs.locals.has('tags') && !refs.variables.has('tags')) {
      findings.push({ check: 'tags', where: where(r), message: 'does not set tags from local.tags' });
    }
  }
  return findings;
}

export interface MetricUse {
  where: string;
  namespace: string;
  metricName: string;
}

/** Metrics named by alarms and autoscaling policies (including metric_query/metrics math blocks). */
export function metricsInModule(m: TfModule): MetricUse[] {
  const uses: MetricUse[] = [];
  const visit = (b: TfBlock, body: HclBody): void => {
    const ns = body['namespace'];
    const name = body['metric_name'];
    if (ns !== undefined || name !== undefined) {
      uses.push({ where: where(b), namespace: String(ns), metricName: String(name) });
    }
    for (const [k, v] of Object.entries(body)) {
      if (k === 'dynamic') {
        for (const d of Object.values(asRecord(v))) {
          for (const x of asArray(d)) for (const c of asArray(asRecord(x)['content'])) visit(b, asRecord(c));
        }
      } else if (Array.isArray(v)) {
        for (const x of v) if (x && typeof x === 'object' && !Array.isArray(x)) visit(b, x as HclBody);
      }
    }
  };
  for (const r of m.resources.filter(
    (x) => x.type === 'aws_cloudwatch_metric_alarm' || x.type === 'aws_appautoscaling_policy',
  )) {
    visit(r, r.body);
  }
  return uses;
}

/** Metrics named by CloudWatch targets of a Grafana dashboard (rows' nested panels included). */
export function metricsInDashboard(file: string, dashboard: unknown): MetricUse[] {
  const uses: MetricUse[] = [];
  const panels = (list: unknown): void => {
    for (const p of asArray(list).map(asRecord)) {
      for (const t of asArray(p['targets']).map(asRecord)) {
        uses.push({
          where: `${file}: panel "${String(p['title'])}" ${String(t['refId'])}`,
          namespace: String(t['namespace']),
          metricName: String(t['metricName']),
        });
      }
      panels(p['panels']);
    }
  };
  panels(asRecord(dashboard)['panels']);
  return uses;
}

/** Every metric must be one the product emits (its namespace) or a listed AWS service metric. */
export function checkMetrics(uses: MetricUse[], allowed: ReadonlyMap<string, ReadonlySet<string>>): Finding[] {
  const findings: Finding[] = [];
  for (const u of uses) {
    const names = allowed.get(u.namespace);
    if (!names) {
      findings.push({
        check: 'metrics',
        where: u.where,
        message: `namespace ${u.namespace} is not one the product or a listed AWS service publishes`,
      });
    } else if (!names.has(u.metricName)) {
      findings.push({
        check: 'metrics',
        where: u.where,
        message: `${u.namespace} ${u.metricName} is not emitted (check common/observability/metricNames.ts)`,
      });
    }
  }
  return findings;
}

/** Environment variables that would carry a secret (names only: values must be secret ARNs or ECS `secrets`). */
export function checkNoSecretsInEnvironment(m: TfModule): Finding[] {
  const secretName = /(PASSWORD|PASSPHRASE|PRIVATE_KEY|AUTH_KEY|TOKEN|SECRET)$/i;
  const findings: Finding[] = [];
  for (const f of m.resources.filter((r) => r.type === 'aws_lambda_function')) {
    for (const env of nestedBlocks(f.body, 'environment')) {
      for (const s of stringsIn(env['variables'])) {
        for (const e of expressionsIn(s)) {
          for (const match of e.matchAll(/\b([A-Z][A-Z0-9_]*)\s*=/g)) {
            if (secretName.test(match[1]!))
              findings.push({
                check: 'secrets',
                where: where(f),
                message: `environment variable ${match[1]} looks like a secret`,
              });
          }
        }
      }
      for (const k of Object.keys(asRecord(env['variables']))) {
        if (secretName.test(k))
          findings.push({
            check: 'secrets',
            where: where(f),
            message: `environment variable ${k} looks like a secret`,
          });
      }
    }
  }
  for (const t of m.resources.filter((r) => r.type === 'aws_ecs_task_definition')) {
    const defs = String(t.body['container_definitions'] ?? '');
    const envSection = /environment\s*=\s*\[([\s\S]*?)\]/.exec(defs)?.[1] ?? '';
    for (const match of envSection.matchAll(/name\s*=\s*"([A-Z0-9_]+)"/g)) {
      if (secretName.test(match[1]!))
        findings.push({
          check: 'secrets',
          where: where(t),
          message: `container environment ${match[1]} looks like a secret: use secrets`,
        });
    }
  }
  return findings;
}
