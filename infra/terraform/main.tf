################################################################################
# Shared locals and lookups
################################################################################

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition

  # One tags map for every taggable resource (terraform-aws-modules convention); callers add their own on top.
  tags = merge(var.tags, {
    "connect-wfm:module" = "infra/terraform"
    "connect-wfm:name"   = var.name
  })

  # A customer managed key: created here, or an existing one (e.g. the key the Connect instance already uses,
  # which is what lets Connect publish to an encrypted agent event stream).
  create_kms_key = var.create_kms_key && var.kms_key_arn == null
  kms_key_arn    = var.kms_key_arn != null ? var.kms_key_arn : (local.create_kms_key ? aws_kms_key.this[0].arn : null)
  kms_enabled    = local.kms_key_arn != null
  # S3 can publish to an SSE-KMS queue only if the key policy admits it: true for the key created here only.
  sqs_kms_key_arn = local.create_kms_key ? aws_kms_key.this[0].arn : null

  kinesis_stream_arn  = var.create_kinesis_stream ? aws_kinesis_stream.agent_events[0].arn : var.kinesis_stream_arn
  kinesis_stream_name = try(element(split("/", local.kinesis_stream_arn), 1), null)

  kcl_mode             = var.consumer_mode == "kcl"
  kcl_application_name = coalesce(var.kcl_application_name, "${var.name}-rta-consumer")
  # KCL 3.x's coordinator-state and worker-metrics tables: its default names (CoordinatorConfig,
  # LeaseManagementConfig) and hash keys (CoordinatorState, WorkerMetricStats).
  kcl_tables = {
    coordinator_state = { name = "${local.kcl_application_name}-CoordinatorState", hash_key = "key" }
    worker_metrics    = { name = "${local.kcl_application_name}-WorkerMetricStats", hash_key = "wid" }
  }
  # The GSI KCL 3.x workers query for their own leases (DynamoDBLeaseRefresher.LEASE_OWNER_TO_LEASE_KEY_INDEX_NAME).
  kcl_lease_owner_index_name = "LeaseOwnerToLeaseKeyIndex"

  # The Connect instance that may use the key: the wired one, else any instance of this account and region.
  connect_instance_arn_pattern = "arn:${local.partition}:connect:${local.region}:${local.account_id}:instance/${coalesce(var.connect_instance_id, "*")}"

  # Every log group the module creates, by name (the key policy admits exactly these).
  log_group_names      = ["/ecs/${var.name}-rta-consumer", "/aws/lambda/${local.lambda_function_name}", "/aws/kinesisfirehose/${var.name}-ctr"]
  lambda_function_name = "${var.name}-transfer"
  sqs_trigger          = var.lambda_trigger_mode == "sqs"
  lambda_in_vpc        = length(var.lambda_subnet_ids) > 0

  # Reasons for every IAM statement that grants Action "*"/"service:*" or Resource "*". The infra tests fail on
  # any such statement whose sid is missing here, so a wildcard is always a reviewed, written-down decision.
  iam_wildcard_reasons = {
    KeyAdministrationByAccount  = "Key policies apply to the key they are attached to, so Resource * means this key only; the account root keeps administration so IAM policies can delegate and the key can never become unmanageable."
    KeyUseByS3                  = "Key policies apply to the key they are attached to, so Resource * means this key only; S3 is limited to this bucket (aws:SourceArn) in this account (aws:SourceAccount)."
    KeyUseByConnect             = "Key policies apply to the key they are attached to, so Resource * means this key only; Connect is limited to the wired instance (aws:SourceArn) in this account (aws:SourceAccount)."
    KeyUseByCloudWatchLogs      = "Key policies apply to the key they are attached to, so Resource * means this key only; CloudWatch Logs is limited to this module's log groups by the encryption context."
    PutConsumerMetrics          = "cloudwatch:PutMetricData supports no resource-level permissions; the cloudwatch:namespace condition limits it to the product and KCL namespaces."
    EcrAuthorizationToken       = "ecr:GetAuthorizationToken supports no resource-level permissions; image pulls themselves are limited to one repository."
    LambdaVpcDescribeInterfaces = "ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets support no resource-level permissions; they are read-only and needed by the Lambda VPC attachment."
  }

  # Every policy document the module renders, by name: the IAM test suite asserts on all of them at once.
  rendered_policies = {
    kms                = data.aws_iam_policy_document.kms.json
    bucket             = data.aws_iam_policy_document.bucket.json
    queue              = data.aws_iam_policy_document.queue.json
    ecs_tasks_assume   = data.aws_iam_policy_document.ecs_tasks_assume.json
    consumer_task      = data.aws_iam_policy_document.consumer_task.json
    consumer_execution = data.aws_iam_policy_document.consumer_execution.json
    lambda_assume      = data.aws_iam_policy_document.lambda_assume.json
    lambda             = data.aws_iam_policy_document.lambda.json
    firehose_assume    = data.aws_iam_policy_document.firehose_assume.json
    firehose           = data.aws_iam_policy_document.firehose.json
  }
}
