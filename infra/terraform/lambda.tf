################################################################################
# Transfer function: S3 objects -> CSV -> Teleopti SFTP
################################################################################

resource "aws_lambda_function" "transfer" {
  function_name = local.lambda_function_name
  description   = "connect-wfm: contact records and scheduled reports from S3 to Teleopti over SFTP"
  role          = aws_iam_role.lambda.arn

  filename         = var.lambda_artifact_path
  source_code_hash = filebase64sha256(var.lambda_artifact_path)
  handler          = "index.handler"
  runtime          = "nodejs22.x"
  architectures    = ["arm64"]
  memory_size      = var.lambda_memory_size_mb
  timeout          = var.lambda_timeout_seconds

  # Drain mode: one run at a time (a slow run overlapping the next tick would only open more SSH connections).
  # sqs mode: the event source's maximum_concurrency bounds it instead.
  reserved_concurrent_executions = local.sqs_trigger ? -1 : 1

  # Secret ARNs only: the function reads the credentials from Secrets Manager at run time.
  environment {
    variables = merge(
      {
        SFTP_HOST            = var.sftp_host
        SFTP_PORT            = tostring(var.sftp_port)
        SFTP_USERNAME        = var.sftp_username
        SFTP_SECRET_ARN      = aws_secretsmanager_secret.sftp.arn
        SFTP_HOST_KEY_SHA256 = var.sftp_host_key_sha256
        SFTP_REMOTE_DIR      = var.sftp_remote_dir
        DEDUP_TABLE          = aws_dynamodb_table.ctr_dedup.name
        QUARANTINE_PREFIX    = "quarantine/"
        CSV_LAYOUT           = var.csv_layout
        NODE_OPTIONS         = "--enable-source-maps"
      },
      local.sqs_trigger ? {} : { QUEUE_URL = aws_sqs_queue.this.id },
    )
  }

  kms_key_arn = local.kms_key_arn

  dynamic "vpc_config" {
    for_each = local.lambda_in_vpc ? [1] : []

    content {
      subnet_ids         = var.lambda_subnet_ids
      security_group_ids = [aws_security_group.lambda[0].id]
    }
  }

  # The log group exists (with retention) before the first invocation could create one without it.
  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.lambda]

  tags = local.tags
}

resource "aws_cloudwatch_log_group" "lambda" {
  name              = "/aws/lambda/${local.lambda_function_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = local.kms_key_arn

  tags = local.tags
}

################################################################################
# Trigger: SQS event source (partial batch responses) ...
################################################################################

resource "aws_lambda_event_source_mapping" "sqs" {
  count = local.sqs_trigger ? 1 : 0

  event_source_arn        = aws_sqs_queue.this.arn
  function_name           = aws_lambda_function.transfer.arn
  batch_size              = var.lambda_batch_size
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.lambda_maximum_concurrency
  }
}

################################################################################
# ... or an EventBridge schedule that drains the queue
################################################################################

resource "aws_cloudwatch_event_rule" "drain" {
  count = local.sqs_trigger ? 0 : 1

  name                = "${var.name}-transfer-drain"
  description         = "Drain the connect-wfm transfer queue"
  schedule_expression = var.lambda_schedule_expression

  lifecycle {
    precondition {
      # The drain stops starting new objects 60 s before the timeout (DRAIN_STOP_BEFORE_TIMEOUT_MS).
      condition     = var.lambda_timeout_seconds >= 120
      error_message = "Drain mode needs lambda_timeout_seconds >= 120: the drain stops 60 s before the timeout."
    }
  }

  tags = local.tags
}

resource "aws_cloudwatch_event_target" "drain" {
  count = local.sqs_trigger ? 0 : 1

  rule = aws_cloudwatch_event_rule.drain[0].name
  arn  = aws_lambda_function.transfer.arn
}

resource "aws_lambda_permission" "drain" {
  count = local.sqs_trigger ? 0 : 1

  statement_id   = "AllowDrainSchedule"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.transfer.function_name
  principal      = "events.amazonaws.com"
  source_arn     = aws_cloudwatch_event_rule.drain[0].arn
  source_account = local.account_id
}

# A failed drain run is not retried asynchronously: the next scheduled run picks the messages up again.
resource "aws_lambda_function_event_invoke_config" "drain" {
  count = local.sqs_trigger ? 0 : 1

  function_name          = aws_lambda_function.transfer.function_name
  maximum_retry_attempts = 0
}

################################################################################
# Security group (VPC attachment only: fixed egress IP through NAT)
################################################################################

resource "aws_security_group" "lambda" {
  count = local.lambda_in_vpc ? 1 : 0

  name_prefix = "${var.name}-transfer-"
  description = "connect-wfm transfer function: egress to SFTP and AWS APIs only"
  vpc_id      = var.vpc_id

  lifecycle {
    create_before_destroy = true
  }

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "lambda_sftp" {
  for_each = local.lambda_in_vpc ? toset(var.sftp_egress_cidr_blocks) : toset([])

  security_group_id = aws_security_group.lambda[0].id
  description       = "Teleopti SFTP"
  ip_protocol       = "tcp"
  from_port         = var.sftp_port
  to_port           = var.sftp_port
  cidr_ipv4         = each.value

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "lambda_https" {
  count = local.lambda_in_vpc ? 1 : 0

  security_group_id = aws_security_group.lambda[0].id
  description       = "AWS APIs (S3, SQS, DynamoDB, Secrets Manager, KMS)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = local.tags
}
