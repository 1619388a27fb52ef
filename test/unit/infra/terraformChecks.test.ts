import { parseTerraformSources } from '../../helpers/terraformModule';
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

/**
 * Every check against a tiny deliberately broken module (it must report exactly that defect) and against the same
 * module fixed (it must report nothing): proof that the checks run on the real module can fail.
 */

const tf = (source: string) => parseTerraformSources({ 'main.tf': source });
const messages = (findings: { message: string }[]) => findings.map((f) => f.message);

describe('checkVariables', () => {
  it('reports a variable used but not declared, and one declared but never used', async () => {
    // Prepare
    const mod = await tf(`
      variable "unused" {
        description = "never read"
        type        = string
        validation {
          condition     = length(var.unused) > 0
          error_message = "self references do not count as use"
        }
      }
      resource "aws_sqs_queue" "q" { name = var.missing }
    `);
    // Act
    const findings = checkVariables(mod);
    // Assess
    expect(messages(findings)).toEqual([
      'var.missing is used but not declared',
      'var.unused is declared but never used',
    ]);
  });

  it('reports a variable without type or description, and passes a clean module', async () => {
    const broken = await tf(`
      variable "x" {}
      resource "aws_sqs_queue" "q" { name = var.x }
    `);
    const clean = await tf(`
      variable "x" {
        description = "queue name"
        type        = string
      }
      resource "aws_sqs_queue" "q" { name = var.x }
    `);
    expect(messages(checkVariables(broken))).toEqual(['var.x has no description', 'var.x has no type']);
    expect(checkVariables(clean)).toEqual([]);
  });
});

describe('checkReferences', () => {
  it('reports resources, data sources, locals and modules that do not exist', async () => {
    // Prepare
    const mod = await tf(`
      locals { a = "x" }
      data "aws_caller_identity" "current" {}
      resource "aws_sqs_queue" "q" {
        name   = "\${local.a}-\${local.b}"
        policy = data.aws_iam_policy_document.nope.json
        tags   = { owner = data.aws_caller_identity.current.account_id, q = aws_sqs_queue.dlq.arn }
      }
      output "o" {
        description = "o"
        value       = [for s in aws_security_group.sg : s.id]
      }
      output "m" {
        description = "m"
        value       = module.missing.x
      }
    `);
    // Act
    const findings = checkReferences(mod);
    // Assess
    expect(messages(findings).sort()).toEqual(
      [
        'aws_sqs_queue.dlq is not declared',
        'aws_security_group.sg is not declared',
        'data.aws_iam_policy_document.nope is not declared',
        'local.b is not declared',
        'module.missing is not declared',
      ].sort(),
    );
  });

  it('reports a counted resource read without an index, and an indexed single resource', async () => {
    const mod = await tf(`
      variable "on" {
        description = "on"
        type        = bool
      }
      resource "aws_kms_key" "k" { count = var.on ? 1 : 0 }
      data "aws_region" "r" {}
      resource "aws_sqs_queue" "q" {
        name              = data.aws_region.r[0].name
        kms_master_key_id = aws_kms_key.k.arn
        tags              = { ok = aws_kms_key.k[0].arn, all = join(",", [for k in aws_kms_key.k : k.arn]) }
      }
    `);
    expect(messages(checkReferences(mod)).sort()).toEqual([
      'aws_kms_key.k has count/for_each: index it',
      'data.aws_region.r has no count/for_each: do not index it',
    ]);
  });

  it('ignores iterators, each/count/path and passes when everything resolves', async () => {
    const mod = await tf(`
      variable "ids" {
        description = "ids"
        type        = list(string)
      }
      resource "aws_sqs_queue" "dlq" { name = "d" }
      resource "aws_sqs_queue" "q" {
        count          = length(var.ids)
        name           = "\${var.ids[count.index]}-\${path.module}"
        redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn })
        dynamic "x" {
          for_each = var.ids
          content { id = x.value }
        }
      }
    `);
    expect(checkReferences(mod)).toEqual([]);
  });
});

describe('checkIamPolicies', () => {
  const wildcardModule = (reasons: string) => `
    locals {
      iam_wildcard_reasons = { ${reasons} }
    }
    data "aws_iam_policy_document" "p" {
      statement {
        sid       = "Metrics"
        actions   = ["cloudwatch:PutMetricData"]
        resources = ["*"]
      }
      dynamic "statement" {
        for_each = [1]
        content {
          sid       = "Everything"
          actions   = ["s3:*"]
          resources = ["arn:aws:s3:::b/*"]
        }
      }
      statement {
        effect    = "Deny"
        actions   = ["*"]
        resources = ["*"]
      }
    }
  `;

  it('reports Action "*"/"service:*" and Resource "*" without a documented reason (dynamic blocks included)', async () => {
    const mod = await tf(wildcardModule('Metrics = "short"'));
    expect(messages(checkIamPolicies(mod))).toEqual([
      'grants Resource "*" without a documented reason in local.iam_wildcard_reasons',
      'grants Action "*" without a documented reason in local.iam_wildcard_reasons',
    ]);
  });

  it('accepts wildcards whose sid has a written reason, and ignores Deny statements', async () => {
    const mod = await tf(
      wildcardModule(`
        Metrics    = "PutMetricData has no resource-level permissions; namespace condition applies."
        Everything = "A deliberately documented wildcard for this test case only."
      `),
    );
    expect(checkIamPolicies(mod)).toEqual([]);
  });

  it('reports Principal "*" without condition, inline jsonencode policies, users and access keys', async () => {
    const mod = await tf(`
      data "aws_iam_policy_document" "q" {
        statement {
          sid       = "Open"
          actions   = ["sqs:SendMessage"]
          resources = ["arn:aws:sqs:eu-west-1:111122223333:q"]
          principals {
            type        = "*"
            identifiers = ["*"]
          }
        }
      }
      resource "aws_sqs_queue_policy" "q" {
        queue_url = "u"
        policy    = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*" }] })
      }
      resource "aws_iam_user" "u" { name = "teleopti" }
      resource "aws_iam_access_key" "k" { user = aws_iam_user.u.name }
    `);
    expect(messages(checkIamPolicies(mod))).toEqual([
      'allows Principal "*" without a condition',
      'policy must be data.aws_iam_policy_document.<name>.json',
      'inline jsonencode policy: use aws_iam_policy_document',
      'long-lived IAM users and access keys are not allowed',
      'long-lived IAM users and access keys are not allowed',
    ]);
  });
});

describe('checkBuckets', () => {
  const protections = `
    resource "aws_s3_bucket_public_access_block" "b" {
      bucket                  = aws_s3_bucket.b.id
      block_public_acls       = true
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }
    resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
      bucket = aws_s3_bucket.b.id
      rule {
        apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
      }
    }
    resource "aws_s3_bucket_policy" "b" {
      bucket = aws_s3_bucket.b.id
      policy = data.aws_iam_policy_document.b.json
    }
    data "aws_iam_policy_document" "b" {
      statement {
        effect    = "Deny"
        actions   = ["s3:*"]
        resources = [aws_s3_bucket.b.arn]
        principals {
          type        = "*"
          identifiers = ["*"]
        }
        condition {
          test     = "Bool"
          variable = "aws:SecureTransport"
          values   = ["false"]
        }
      }
    }
  `;

  it('reports a bucket without public access block, encryption or TLS-only policy', async () => {
    const mod = await tf(`
      resource "aws_s3_bucket" "b" { bucket_prefix = "x" }
      resource "aws_s3_bucket" "other" { bucket_prefix = "y" }
      ${protections.replace('restrict_public_buckets = true', 'restrict_public_buckets = false')}
    `);
    expect(messages(checkBuckets(mod))).toEqual([
      'no public access block with all four settings true',
      'no public access block with all four settings true',
      'no default server-side encryption',
      'no bucket policy denying aws:SecureTransport = false',
    ]);
  });

  it('passes a fully protected bucket', async () => {
    const mod = await tf(`resource "aws_s3_bucket" "b" { bucket_prefix = "x" }\n${protections}`);
    expect(checkBuckets(mod)).toEqual([]);
  });
});

describe('checkQueues', () => {
  it('reports a queue without dead-letter queue or encryption, but not the dead-letter queue itself', async () => {
    const broken = await tf(`
      resource "aws_sqs_queue" "lonely" { name = "l" }
      resource "aws_sqs_queue" "dlq" {
        name                    = "d"
        sqs_managed_sse_enabled = true
      }
      resource "aws_sqs_queue" "main" {
        name                    = "m"
        sqs_managed_sse_enabled = true
        redrive_policy          = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 5 })
      }
    `);
    expect(checkQueues(broken).map((f) => `${f.where} ${f.message}`)).toEqual([
      'main.tf: aws_sqs_queue.lonely no dead-letter queue (redrive_policy with deadLetterTargetArn)',
      'main.tf: aws_sqs_queue.lonely no server-side encryption',
    ]);
  });
});

describe('checkLogGroups', () => {
  it('reports a log group without retention and a function without its log group', async () => {
    const broken = await tf(`
      resource "aws_cloudwatch_log_group" "forever" { name = "/x" }
      resource "aws_lambda_function" "f" { function_name = "fn" }
    `);
    const clean = await tf(`
      resource "aws_cloudwatch_log_group" "f" {
        name              = "/aws/lambda/fn"
        retention_in_days = 30
      }
      resource "aws_lambda_function" "f" { function_name = "fn" }
    `);
    expect(messages(checkLogGroups(broken))).toEqual([
      'no retention_in_days (logs would be kept forever)',
      'no log group /aws/lambda/fn (Lambda would create one without retention)',
    ]);
    expect(checkLogGroups(clean)).toEqual([]);
  });
});

describe('checkTags', () => {
  it('reports untagged and unclassified resources and accepts merge(local.tags, ...)', async () => {
    const mod = await tf(`
      locals { tags = { a = "b" } }
      resource "aws_sqs_queue" "untagged" { name = "u" }
      resource "aws_sqs_queue" "literal" {
        name = "l"
        tags = { Name = "l" }
      }
      resource "aws_sqs_queue" "merged" {
        name = "m"
        tags = merge(local.tags, { Name = "m" })
      }
      resource "aws_sqs_queue_policy" "p" { queue_url = "u" }
      resource "aws_new_thing" "n" {}
    `);
    const findings = checkTags(mod, new Set(['aws_sqs_queue']), new Set(['aws_sqs_queue_policy']));
    // hcl2json orders blocks by name, so compare as sets.
    expect(findings.map((f) => `${f.where}: ${f.message}`).sort()).toEqual([
      'main.tf: aws_new_thing.n: aws_new_thing is not classified as taggable or untaggable',
      'main.tf: aws_sqs_queue.literal: does not set tags from local.tags',
      'main.tf: aws_sqs_queue.untagged: does not set tags from local.tags',
    ]);
  });
});

describe('checkMetrics', () => {
  const allowed = new Map([
    ['ConnectWfm', new Set(['PostFailures', 'OpenShardCount'])],
    ['AWS/ECS', new Set(['CPUUtilization'])],
  ]);

  it('reports alarm, metric-math and dashboard metrics the product does not emit', async () => {
    // Prepare
    const mod = await tf(`
      resource "aws_cloudwatch_metric_alarm" "typo" {
        namespace   = "ConnectWfm"
        metric_name = "PostFailure"
      }
      resource "aws_cloudwatch_metric_alarm" "math" {
        metric_query {
          id = "m"
          metric {
            namespace   = "Custom/Other"
            metric_name = "PostFailures"
          }
        }
      }
      resource "aws_appautoscaling_policy" "p" {
        target_tracking_scaling_policy_configuration {
          customized_metric_specification {
            metrics {
              id = "a"
              metric_stat {
                metric {
                  namespace   = "ConnectWfm"
                  metric_name = "OpenShards"
                }
              }
            }
          }
        }
      }
    `);
    const dashboard = {
      panels: [
        {
          type: 'row',
          title: 'r',
          panels: [{ title: 'inner', targets: [{ refId: 'A', namespace: 'ConnectWfm', metricName: 'Lag' }] }],
        },
        { title: 'ok', targets: [{ refId: 'A', namespace: 'AWS/ECS', metricName: 'CPUUtilization' }] },
      ],
    };
    // Act
    const findings = checkMetrics([...metricsInModule(mod), ...metricsInDashboard('d.json', dashboard)], allowed);
    // Assess
    expect(findings.map((f) => f.message).sort()).toEqual([
      'ConnectWfm Lag is not emitted (check common/observability/metricNames.ts)',
      'ConnectWfm OpenShards is not emitted (check common/observability/metricNames.ts)',
      'ConnectWfm PostFailure is not emitted (check common/observability/metricNames.ts)',
      'namespace Custom/Other is not one the product or a listed AWS service publishes',
    ]);
    expect(findings.find((f) => f.message.includes(' Lag '))!.where).toBe('d.json: panel "inner" A');
  });
});

describe('checkNoSecretsInEnvironment', () => {
  it('reports secret-looking Lambda and container environment variables, not ARNs or ECS secrets', async () => {
    const mod = await tf(`
      resource "aws_lambda_function" "f" {
        function_name = "f"
        environment {
          variables = {
            SFTP_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x"
            SFTP_PASSWORD   = "hunter2"
          }
        }
      }
      resource "aws_ecs_task_definition" "t" {
        container_definitions = jsonencode([{
          environment = [{ name = "WFM_AUTH_KEY", value = "k" }, { name = "WFM_SOURCE_ID", value = "s" }]
          secrets     = [{ name = "OTHER_TOKEN", valueFrom = "arn" }]
        }])
      }
    `);
    expect(messages(checkNoSecretsInEnvironment(mod))).toEqual([
      'environment variable SFTP_PASSWORD looks like a secret',
      'container environment WFM_AUTH_KEY looks like a secret: use secrets',
    ]);
  });
});
