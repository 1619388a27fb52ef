import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_METRIC_NAMES, METRICS_NAMESPACE } from '../../../common/observability/metricNames';
import {
  loadTerraformModule,
  nestedBlocks,
  referencesIn,
  type TfBlock,
  type TfModule,
} from '../../helpers/terraformModule';
import {
  checkBuckets,
  checkIamPolicies,
  checkLogGroups,
  checkMetrics,
  checkNoSecretsInEnvironment,
  checkQueues,
  checkReferences,
  checkTags,
  checkVariables,
  metricsInDashboard,
  metricsInModule,
} from '../../helpers/terraformChecks';

/** The real module (infra/terraform) and its complete example, parsed with @cdktf/hcl2json: every check must pass. */

const MODULE_DIR = join(__dirname, '../../../infra/terraform');
const EXAMPLE_DIR = join(MODULE_DIR, 'examples/complete');
const EXISTING_VPC_DIR = join(MODULE_DIR, 'examples/existing-vpc');
const GRAFANA_DIR = join(MODULE_DIR, 'modules/grafana-dashboards');
const DASHBOARD_DIR = join(MODULE_DIR, 'dashboards');
const TESTS_DIR = join(MODULE_DIR, 'tests');

/** Resource types that take tags (AWS provider >= 5.31) and those that do not; a new type must be added to one. */
const TAGGABLE = new Set([
  'aws_appautoscaling_target',
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_metric_alarm',
  'aws_dynamodb_table',
  'aws_ecr_repository',
  'aws_ecs_cluster',
  'aws_ecs_service',
  'aws_ecs_task_definition',
  'aws_iam_role',
  'aws_kinesis_firehose_delivery_stream',
  'aws_kinesis_stream',
  'aws_kms_key',
  'aws_lambda_function',
  'aws_s3_bucket',
  'aws_secretsmanager_secret',
  'aws_security_group',
  'aws_sns_topic',
  'aws_sqs_queue',
  'aws_vpc_security_group_egress_rule',
]);
const UNTAGGABLE = new Set([
  'aws_appautoscaling_policy',
  'aws_cloudwatch_dashboard',
  'aws_cloudwatch_event_target',
  'aws_cloudwatch_log_stream',
  'aws_connect_instance_storage_config',
  'aws_iam_role_policy',
  'aws_kms_alias',
  'aws_lambda_event_source_mapping',
  'aws_lambda_function_event_invoke_config',
  'aws_lambda_permission',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_notification',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_sqs_queue_policy',
  'aws_sqs_queue_redrive_allow_policy',
  'grafana_dashboard',
  'terraform_data',
]);

/** The product's own metrics (from its metric-name module) plus the AWS service metrics alarms and graphs may use. */
const ALLOWED_METRICS = new Map<string, ReadonlySet<string>>([
  [METRICS_NAMESPACE, new Set<string>(ALL_METRIC_NAMES)],
  ['AWS/Lambda', new Set(['Errors', 'Invocations', 'Duration', 'Throttles'])],
  ['AWS/SQS', new Set(['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage'])],
  ['AWS/Firehose', new Set(['DeliveryToS3.Success', 'DeliveryToS3.DataFreshness'])],
  ['AWS/Kinesis', new Set(['GetRecords.IteratorAgeMilliseconds', 'ReadProvisionedThroughputExceeded'])],
  ['AWS/ECS', new Set(['CPUUtilization', 'MemoryUtilization'])],
]);

const find = (blocks: TfBlock[], type: string, name: string): TfBlock => {
  const b = blocks.find((x) => x.type === type && x.name === name);
  if (!b) throw new Error(`${type}.${name} not found`);
  return b;
};

let mod: TfModule;
let example: TfModule;
let existingVpc: TfModule;
let grafana: TfModule;
let dashboards: { file: string; json: Record<string, unknown> }[];

beforeAll(async () => {
  mod = await loadTerraformModule(MODULE_DIR);
  example = await loadTerraformModule(EXAMPLE_DIR);
  existingVpc = await loadTerraformModule(EXISTING_VPC_DIR);
  grafana = await loadTerraformModule(GRAFANA_DIR);
  dashboards = readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({
      file,
      json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Record<string, unknown>,
    }));
});

describe('infra/terraform passes every check', () => {
  it('parses one file per service plus the standard files', () => {
    expect(mod.files).toEqual(
      expect.arrayContaining([
        'versions.tf',
        'variables.tf',
        'outputs.tf',
        'kinesis.tf',
        'firehose.tf',
        's3.tf',
        'sqs.tf',
        'lambda.tf',
        'secrets.tf',
        'dynamodb.tf',
        'ecs.tf',
        'autoscaling.tf',
        'iam.tf',
        'kms.tf',
        'alarms.tf',
        'connect.tf',
        'dashboards.tf',
      ]),
    );
    expect(mod.resources.length).toBeGreaterThan(40);
  });

  it('declares every variable it uses and uses every variable it declares (typed, described)', () => {
    expect(checkVariables(mod)).toEqual([]);
  });

  it('resolves every resource, data and local reference', () => {
    expect(checkReferences(mod)).toEqual([]);
  });

  it('grants no wildcard without a documented reason, and keeps no stale reason', () => {
    expect(checkIamPolicies(mod)).toEqual([]);
    const sids = new Set(
      mod.data
        .filter((d) => d.type === 'aws_iam_policy_document')
        .flatMap((d) => nestedBlocks(d.body, 'statement'))
        .map((s) => s['sid']),
    );
    const reasons = Object.keys(mod.locals.find((l) => l.name === 'iam_wildcard_reasons')!.body['value'] as object);
    expect(reasons.filter((sid) => !sids.has(sid))).toEqual([]);
  });

  it('blocks public access, encrypts and enforces TLS on every bucket', () => {
    expect(checkBuckets(mod)).toEqual([]);
  });

  it('gives every queue a dead-letter queue and encryption', () => {
    expect(checkQueues(mod)).toEqual([]);
  });

  it('sets retention on every log group', () => {
    expect(checkLogGroups(mod)).toEqual([]);
  });

  it('tags every taggable resource from local.tags', () => {
    expect(checkTags(mod, TAGGABLE, UNTAGGABLE)).toEqual([]);
  });

  it('alarms and scales only on metrics the product or AWS emits', () => {
    const uses = metricsInModule(mod);
    expect(uses.length).toBeGreaterThanOrEqual(8);
    expect(checkMetrics(uses, ALLOWED_METRICS)).toEqual([]);
  });

  it('puts no secret in any environment', () => {
    expect(checkNoSecretsInEnvironment(mod)).toEqual([]);
  });
});

describe.each([
  ['examples/complete', () => example],
  ['examples/existing-vpc', () => existingVpc],
])('infra/terraform/%s', (_, load) => {
  it('passes the same checks', () => {
    const ex = load();
    expect(ex.modules.map((m) => m.name)).toContain('connect_wfm');
    expect([
      ...checkVariables(ex),
      ...checkReferences(ex),
      ...checkIamPolicies(ex),
      ...checkQueues(ex),
      ...checkLogGroups(ex),
      ...checkTags(ex, TAGGABLE, UNTAGGABLE),
    ]).toEqual([]);
  });

  it('passes only inputs the module declares, and every required one', () => {
    const call = find(load().modules, 'module', 'connect_wfm').body;
    const declared = new Set(mod.variables.map((v) => v.name));
    const required = mod.variables.filter((v) => !('default' in v.body)).map((v) => v.name);
    const passed = Object.keys(call).filter((k) => !['source', 'providers', 'depends_on'].includes(k));
    expect(passed.filter((k) => !declared.has(k))).toEqual([]);
    expect(required.filter((k) => !passed.includes(k))).toEqual([]);
  });
});

describe('modules/grafana-dashboards', () => {
  it('is the only place that needs the grafana provider; the root needs hashicorp/aws alone', () => {
    const providersOf = (m: TfModule): string[] =>
      m.other
        .filter((o) => o.type === 'terraform')
        .flatMap((o) => [o.body['required_providers']].flat() as Record<string, { source: string }>[])
        .flatMap((p) => Object.values(p).map((x) => x.source));
    expect(providersOf(mod)).toEqual(['hashicorp/aws']);
    expect(providersOf(grafana)).toEqual(['grafana/grafana']);
    expect(mod.resources.filter((r) => r.type.startsWith('grafana_'))).toEqual([]);
  });

  it('provisions every dashboard JSON of the root module, and examples/complete uses it behind a flag', () => {
    expect(checkVariables(grafana)).toEqual([]);
    expect(checkReferences(grafana)).toEqual([]);
    expect(JSON.stringify(find(grafana.locals, 'local', 'dashboards_dir').body)).toContain('../../dashboards');
    expect(find(grafana.resources, 'grafana_dashboard', 'this').body['for_each']).toBe(
      '${fileset(local.dashboards_dir, "*.json")}',
    );
    const call = find(example.modules, 'module', 'grafana_dashboards').body;
    expect([call['source'], call['count']]).toEqual([
      '../../modules/grafana-dashboards',
      '${var.enable_grafana_dashboards ? 1 : 0}',
    ]);
  });
});

describe('dashboards/*.json', () => {
  it('uses the CloudWatch data source and only emitted metrics', () => {
    expect(dashboards.length).toBeGreaterThan(0);
    for (const { file, json } of dashboards) {
      const uses = metricsInDashboard(file, json);
      expect(uses.length).toBeGreaterThan(10);
      expect(checkMetrics(uses, ALLOWED_METRICS)).toEqual([]);
      expect(JSON.stringify(json)).not.toMatch(
        /"type":\s*"(?!cloudwatch|row|timeseries|datasource|custom|textbox)[a-z-]+"/,
      );
    }
  });

  it('names AWS resources the way the module names them (dashboard variable name = var.name)', () => {
    // Every "${name}..." dimension value must be the name expression of a resource (or local) of the module.
    const names = new Set<string>([
      ...mod.resources.flatMap((r) => [r.body['name'], r.body['function_name']]).map(String),
      ...mod.locals.map((l) => String(l.body['value'])),
    ]);
    const dims = dashboards.flatMap(
      ({ json }) =>
        JSON.stringify(json).match(/"(ClusterName|ServiceName|FunctionName|QueueName|DeliveryStreamName)":"[^"]+"/g) ??
        [],
    );
    expect(dims.length).toBeGreaterThanOrEqual(5);
    const unknown = dims
      .map((d) => JSON.parse(`{${d}}`) as Record<string, string>)
      .map((d) => Object.values(d)[0]!.replace('${name}', '${var.name}'))
      .filter((v) => !names.has(v) && !names.has(v.replace('${var.name}-transfer', '${local.lambda_function_name}')));
    expect(unknown).toEqual([]);
  });

  it('is also the source of the CloudWatch dashboard (tests/dashboards.tftest.hcl compares the rendered one)', () => {
    expect(find(mod.locals, 'local', 'grafana_dashboard').body['value']).toBe(
      '${jsondecode(file("${path.module}/dashboards/connect-wfm.json"))}',
    );
    expect(find(mod.resources, 'aws_cloudwatch_dashboard', 'this').body['dashboard_body']).toBe(
      '${local.cloudwatch_dashboard_body}',
    );
  });

  it('graphs every metric the product emits', () => {
    const graphed = new Set(
      dashboards
        .flatMap(({ file, json }) => metricsInDashboard(file, json))
        .filter((u) => u.namespace === METRICS_NAMESPACE)
        .map((u) => u.metricName),
    );
    expect(ALL_METRIC_NAMES.filter((n) => !graphed.has(n))).toEqual([]);
  });
});

describe('what the issue asks of each service', () => {
  it('pins Terraform and the providers', () => {
    const tf = JSON.stringify(mod.other.filter((o) => o.type === 'terraform').map((o) => o.body));
    expect(tf).toMatch(/"required_version":"[^"]*>= 1\.5\.7, < 2\.0\.0/);
    expect(tf).toMatch(/"hashicorp\/aws","version":">= 5\.31, < 7\.0"/);
  });

  it('names fit AWS limits with the longest allowed var.name (24 characters)', () => {
    const longest = 'x'.repeat(24);
    const expand = (v: unknown) => String(v).replace('${var.name}', longest);
    expect(JSON.stringify(find(mod.variables, 'variable', 'name').body['validation'])).toContain('{2,23}');
    const limits: [string, string, number][] = [
      ['aws_iam_role', 'name_prefix', 38],
      ['aws_s3_bucket', 'bucket_prefix', 37],
      ['aws_lambda_function', 'function_name', 64],
      ['aws_kinesis_firehose_delivery_stream', 'name', 64],
      ['aws_cloudwatch_event_rule', 'name', 64],
      ['aws_sqs_queue', 'name', 80],
    ];
    for (const [type, attr, max] of limits) {
      for (const r of mod.resources.filter((x) => x.type === type)) {
        const value = expand(r.body[attr]).replace('${local.lambda_function_name}', `${longest}-transfer`);
        expect(`${r.type}.${r.name} ${value.length <= max ? 'fits' : `is ${value.length} > ${max}`}`).toBe(
          `${r.type}.${r.name} fits`,
        );
      }
    }
  });

  it('queue: visibility timeout is six times the function timeout, with redrive', () => {
    const q = find(mod.resources, 'aws_sqs_queue', 'this').body;
    expect(q['visibility_timeout_seconds']).toBe('${6 * var.lambda_timeout_seconds}');
    expect(q['redrive_policy']).toMatch(/deadLetterTargetArn\s*=\s*aws_sqs_queue\.dlq\.arn/);
  });

  it('queue policy admits only this bucket in this account', () => {
    const [st, ...others] = nestedBlocks(find(mod.data, 'aws_iam_policy_document', 'queue').body, 'statement');
    expect(others).toEqual([]);
    expect(st!['actions']).toEqual(['sqs:SendMessage']);
    expect(nestedBlocks(st!, 'principals')).toEqual([{ type: 'Service', identifiers: ['s3.amazonaws.com'] }]);
    expect(nestedBlocks(st!, 'condition')).toEqual(
      expect.arrayContaining([
        { test: 'ArnEquals', variable: 'aws:SourceArn', values: ['${aws_s3_bucket.this.arn}'] },
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${local.account_id}'] },
      ]),
    );
  });

  it('firehose: DirectPut to ctr_prefix with newline delimiter, error prefix and aligned buffering', () => {
    const f = find(mod.resources, 'aws_kinesis_firehose_delivery_stream', 'ctr').body;
    const s3 = nestedBlocks(f, 'extended_s3_configuration')[0]!;
    expect(s3['prefix']).toMatch(/^\$\{var\.ctr_prefix\}/);
    expect(s3['error_output_prefix']).toMatch(/^ctr-errors\//);
    expect(JSON.stringify(s3['processing_configuration'])).toContain('AppendDelimiterToRecord');
    const interval = find(mod.variables, 'variable', 'firehose_buffering_interval_seconds').body;
    expect(interval['default']).toBe(300);
    expect(JSON.stringify(interval['validation'])).toContain('900 % var.firehose_buffering_interval_seconds == 0');
  });

  it('bucket: expires objects after 30 days by default and notifies the queue for both prefixes', () => {
    expect(find(mod.variables, 'variable', 'bucket_expiration_days').body['default']).toBe(30);
    const n = find(mod.resources, 'aws_s3_bucket_notification', 'this').body;
    const queues = nestedBlocks(n, 'queue');
    expect(queues.map((q) => q['filter_prefix'])).toEqual(['${var.ctr_prefix}', '${var.report_prefix}']);
  });

  it('lambda: Node.js 22 on arm64, partial batch responses, secret ARN only', () => {
    const fn = find(mod.resources, 'aws_lambda_function', 'transfer').body;
    expect([fn['runtime'], fn['architectures'], fn['handler']]).toEqual(['nodejs22.x', ['arm64'], 'index.handler']);
    const env = JSON.stringify(fn['environment']);
    expect(env).toContain('SFTP_SECRET_ARN      = aws_secretsmanager_secret.sftp.arn');
    const esm = find(mod.resources, 'aws_lambda_event_source_mapping', 'sqs').body;
    expect(esm['function_response_types']).toEqual(['ReportBatchItemFailures']);
    expect(mod.resources.filter((r) => r.type === 'aws_secretsmanager_secret_version')).toEqual([]);
  });

  it('dynamodb: on-demand tables with point-in-time recovery; the KCL 3 tables and index with the key schemas of KCL 3.x', () => {
    const tables = mod.resources.filter((r) => r.type === 'aws_dynamodb_table');
    expect(tables.map((t) => t.name).sort()).toEqual(['agent_state', 'ctr_dedup', 'kcl', 'leases']);
    for (const t of tables) {
      expect(t.body['billing_mode']).toBe('PAY_PER_REQUEST');
      expect(nestedBlocks(t.body, 'point_in_time_recovery')).toEqual([{ enabled: true }]);
      expect(nestedBlocks(t.body, 'server_side_encryption')).toEqual([
        { enabled: '${local.kms_enabled}', kms_key_arn: '${local.kms_key_arn}' },
      ]);
    }
    const leases = find(mod.resources, 'aws_dynamodb_table', 'leases').body;
    expect(leases['hash_key']).toBe('leaseKey');
    expect(nestedBlocks(leases, 'global_secondary_index')).toEqual([
      {
        name: '${local.kcl_lease_owner_index_name}',
        hash_key: 'leaseOwner',
        range_key: 'leaseKey',
        projection_type: 'KEYS_ONLY',
      },
    ]);
    expect(find(mod.locals, 'local', 'kcl_lease_owner_index_name').body['value']).toBe('LeaseOwnerToLeaseKeyIndex');
    const kcl = find(mod.resources, 'aws_dynamodb_table', 'kcl').body;
    expect([kcl['for_each'], kcl['hash_key']]).toEqual([
      '${local.kcl_mode ? local.kcl_tables : {}}',
      '${each.value.hash_key}',
    ]);
    expect(find(mod.locals, 'local', 'kcl_tables').body['value']).toEqual({
      coordinator_state: { name: '${local.kcl_application_name}-CoordinatorState', hash_key: 'key' },
      worker_metrics: { name: '${local.kcl_application_name}-WorkerMetricStats', hash_key: 'wid' },
    });
    expect(nestedBlocks(find(mod.resources, 'aws_dynamodb_table', 'ctr_dedup').body, 'ttl')[0]!['enabled']).toBe(true);
  });

  it('ecs: secrets injected, graceful stop, health check, awslogs; direct mode never overlaps', () => {
    const defs = String(find(mod.resources, 'aws_ecs_task_definition', 'consumer').body['container_definitions']);
    expect(defs).toMatch(
      /secrets = \[\s*\{ name = "WFM_AUTH_KEY", valueFrom = aws_secretsmanager_secret\.wfm_auth_key\.arn \}/,
    );
    expect(defs).toContain('stopTimeout = var.consumer_stop_timeout_seconds');
    expect(defs).toContain('healthCheck = {');
    expect(defs).toContain('logDriver = "awslogs"');
    const envNames = [...defs.matchAll(/\{ name = "([A-Z_]+)", value = /g)].map((m) => m[1]).sort();
    expect(envNames).toEqual(
      [
        'AGENT_STATE_TABLE',
        'AWS_REGION',
        'CHECKPOINT_TABLE',
        'CONNECT_INSTANCE_ID',
        'CONSUMER_MODE',
        'HEALTH_PORT',
        'KCL_COORDINATOR_STATE_TABLE',
        'KCL_RETRIEVAL_MODE',
        'KCL_WORKER_METRICS_TABLE',
        'KINESIS_STREAM_ARN',
        'RTA_STATE_MODE',
        'RTA_WINDOW_MS',
        'STATE_DIR',
        'WFM_RTA_URL',
        'WFM_SOURCE_ID',
      ].sort(),
    );
    const svc = find(mod.resources, 'aws_ecs_service', 'consumer').body;
    expect(svc['deployment_minimum_healthy_percent']).toBe('${local.kcl_mode ? 100 : 0}');
    expect(svc['deployment_maximum_percent']).toBe('${local.kcl_mode ? 200 : 100}');
    expect(svc['desired_count']).toBe('${local.kcl_mode ? var.consumer_min_tasks : 1}');
    expect(JSON.stringify(nestedBlocks(svc, 'network_configuration'))).toContain('"assign_public_ip":false');
  });

  it('passes only environment variables the application config or the image entrypoint reads', () => {
    // A misspelt variable would be silently ignored by the application: every name must be read somewhere.
    const configDir = join(__dirname, '../../../common/config');
    const readers = [
      ...readdirSync(configDir).map((f) => readFileSync(join(configDir, f), 'utf8')),
      readFileSync(join(__dirname, '../../../docker/entrypoint.sh'), 'utf8'),
      readFileSync(join(__dirname, '../../../docker/healthcheck.js'), 'utf8'),
    ].join('\n');
    const defs = String(find(mod.resources, 'aws_ecs_task_definition', 'consumer').body['container_definitions']);
    const lambdaEnv = JSON.stringify(find(mod.resources, 'aws_lambda_function', 'transfer').body['environment']);
    const names = [
      ...[...defs.matchAll(/\{ name = "([A-Z0-9_]+)", value(From)? = /g)].map((m) => m[1]!),
      ...[...lambdaEnv.matchAll(/\b([A-Z][A-Z0-9_]+)\s+=/g)].map((m) => m[1]!),
    ];
    expect(names.length).toBeGreaterThan(20);
    const runtimeOwn = new Set(['NODE_OPTIONS']);
    expect(names.filter((n) => !runtimeOwn.has(n) && !new RegExp(`\\b${n}\\b`).test(readers))).toEqual([]);
  });

  it('autoscaling: target tracking on OpenShardCount over running tasks, kcl mode only', () => {
    const p = find(mod.resources, 'aws_appautoscaling_policy', 'consumer_shards_per_task').body;
    expect(p['count']).toBe('${local.kcl_mode ? 1 : 0}');
    const text = JSON.stringify(p);
    expect(text).toContain('"expression":"open_shards / running_tasks"');
    expect(text).toContain('"metric_name":"OpenShardCount"');
  });

  it('iam: stream-scoped Kinesis reads, fan-out actions only for FANOUT, namespace-bound PutMetricData', () => {
    const doc = find(mod.data, 'aws_iam_policy_document', 'consumer_task').body;
    const read = nestedBlocks(doc, 'statement').find((s) => s['sid'] === 'ReadAgentEventStream')!;
    expect(read['resources']).toEqual(['${local.kinesis_stream_arn}']);
    const fanOut = (doc['dynamic'] as { statement: { for_each: string }[] }).statement.find((s) =>
      JSON.stringify(s).includes('SubscribeToShard'),
    )!;
    expect(fanOut.for_each).toContain('var.kcl_retrieval_mode == "FANOUT"');
    const metrics = nestedBlocks(doc, 'statement').find((s) => s['sid'] === 'PutConsumerMetrics')!;
    expect(nestedBlocks(metrics, 'condition')[0]).toMatchObject({ variable: 'cloudwatch:namespace' });
  });

  it('alarms: lag, post failures, Lambda errors, DLQ not empty and Firehose failures, all to the SNS variable', () => {
    const alarms = mod.resources.filter((r) => r.type === 'aws_cloudwatch_metric_alarm');
    const metrics = alarms.map((a) => `${String(a.body['namespace'])} ${String(a.body['metric_name'])}`);
    expect(metrics).toEqual(
      expect.arrayContaining([
        'ConnectWfm MillisBehindLatest',
        'ConnectWfm PostFailures',
        'AWS/Lambda Errors',
        'AWS/SQS ApproximateNumberOfMessagesVisible',
        'AWS/Firehose DeliveryToS3.Success',
      ]),
    );
    for (const a of alarms) expect(referencesIn(a.body['alarm_actions']).locals.has('alarm_actions')).toBe(true);
    // The transfer function's EMF uses the dimension set [FunctionName]; the consumer's is configurable.
    for (const name of ['transfer_failures', 'ctr_quarantined']) {
      expect(find(mod.resources, 'aws_cloudwatch_metric_alarm', name).body['dimensions']).toBe(
        '${local.transfer_metric_dimensions}',
      );
    }
    expect(JSON.stringify(find(mod.locals, 'local', 'transfer_metric_dimensions').body)).toContain('FunctionName');
  });

  it('outputs: described, and no secret value (secrets are ARNs only)', () => {
    for (const o of mod.outputs) {
      expect(typeof o.body['description']).toBe('string');
      const refs = [...referencesIn(o.body['value']).resources];
      expect(refs.filter((r) => /secret_version|access_key/.test(r))).toEqual([]);
    }
    expect(JSON.stringify(mod.outputs.filter((o) => /secret/.test(o.name)).map((o) => o.body['value']))).not.toMatch(
      /secret_string|\.value/,
    );
  });
});

describe('tests/*.tftest.hcl (run by terraformOffline.test.ts) cover what they must', () => {
  const suite = (file: string): string => readFileSync(join(TESTS_DIR, file), 'utf8');

  it('every input validation has a run that expects it to refuse a bad value', () => {
    const validated = mod.variables.filter((v) => v.body['validation'] !== undefined).map((v) => v.name);
    expect(validated.length).toBeGreaterThan(20);
    const expected = new Set(
      [...suite('validations.tftest.hcl').matchAll(/expect_failures\s*=\s*\[var\.([a-z0-9_]+)\]/g)].map((m) => m[1]),
    );
    expect(validated.filter((name) => !expected.has(name))).toEqual([]);
  });

  it('the IAM suite asserts on every policy document and overrides every resource (so it never calls AWS)', () => {
    const rendered = find(mod.locals, 'local', 'rendered_policies').body['value'] as Record<string, string>;
    const docs = mod.data.filter((d) => d.type === 'aws_iam_policy_document').map((d) => d.name);
    expect(Object.values(rendered).sort()).toEqual(
      docs.map((d) => `\${data.aws_iam_policy_document.${d}.json}`).sort(),
    );
    const overridden = new Set(
      [...suite('iam.tftest.hcl').matchAll(/target\s*=\s*(aws_[a-z0-9_]+\.[a-z0-9_]+)/g)].map((m) => m[1]),
    );
    expect(
      mod.resources.map((r) => `${r.type}.${r.name}`).filter((a) => a.startsWith('aws_') && !overridden.has(a)),
    ).toEqual([]);
  });

  it('the mocked suites plan and apply', () => {
    const runs = [...suite('module.tftest.hcl').matchAll(/command = (plan|apply)/g)].map((m) => m[1]);
    expect(new Set(runs)).toEqual(new Set(['plan', 'apply']));
  });
});

describe('README', () => {
  const readme = readFileSync(join(MODULE_DIR, 'README.md'), 'utf8');

  it('documents every input and output in its tables', () => {
    const missing = [...mod.variables, ...mod.outputs].filter((b) => !readme.includes(`| \`${b.name}\` |`));
    expect(missing.map((b) => `${b.type} ${b.name}`)).toEqual([]);
  });

  it('lists every documented IAM wildcard in its review table', () => {
    const reasons = Object.keys(mod.locals.find((l) => l.name === 'iam_wildcard_reasons')!.body['value'] as object);
    expect(reasons.filter((sid) => !readme.includes(`\`${sid}\``))).toEqual([]);
  });

  it('explains the cost drivers and the steps Terraform cannot do', () => {
    expect(readme).toMatch(/## Cost drivers/);
    expect(readme).toMatch(/## Steps Terraform cannot do/);
  });
});
