################################################################################
# IAM: one role per workload, inline least-privilege policies, no users or access keys.
# Statements with a wildcard carry a sid explained in local.iam_wildcard_reasons (main.tf).
################################################################################

################################################################################
# Consumer task role (what the running consumer and the KCL daemon may do)
################################################################################

resource "aws_iam_role" "consumer_task" {
  name_prefix          = "${var.name}-rta-task-"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.iam_role_permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy" "consumer_task" {
  name   = "consumer"
  role   = aws_iam_role.consumer_task.id
  policy = data.aws_iam_policy_document.consumer_task.json
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    sid     = "EcsTasksOfThisAccount"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "consumer_task" {
  statement {
    sid = "ReadAgentEventStream"
    actions = [
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:ListShards",
    ]
    resources = [local.kinesis_stream_arn]
  }

  dynamic "statement" {
    for_each = local.kcl_mode && var.kcl_retrieval_mode == "FANOUT" ? [1] : []

    content {
      sid = "EnhancedFanOut"
      actions = [
        "kinesis:RegisterStreamConsumer",
        "kinesis:DescribeStreamConsumer",
        "kinesis:SubscribeToShard",
      ]
      resources = [local.kinesis_stream_arn, "${local.kinesis_stream_arn}/consumer/*"]
    }
  }

  # Checkpoints (direct mode, and the lease table's items) and the last delivered agent states.
  statement {
    sid = "LeaseAndAgentStateTables"
    actions = [
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:Query",
      "dynamodb:Scan",
    ]
    # The agent-state index by name: a KCL child loads its shard's agents through it.
    resources = [
      aws_dynamodb_table.leases.arn,
      aws_dynamodb_table.agent_state.arn,
      "${aws_dynamodb_table.agent_state.arn}/index/${var.agent_state_table_keys.shard_index}",
    ]
  }

  # KCL 3.x at run time on the tables Terraform created: DescribeTable at start (it finds them, so no CreateTable,
  # and finds the index, so no UpdateTable), leader lock and migration state in the coordinator-state table,
  # worker load reports (UpdateItem, Scan, conditional DeleteItem of stale workers) in the worker-metrics table.
  dynamic "statement" {
    for_each = local.kcl_mode ? [1] : []

    content {
      sid = "KclCoordinatorAndWorkerMetricsTables"
      actions = [
        "dynamodb:DescribeTable",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Scan",
      ]
      resources = [aws_dynamodb_table.kcl["coordinator_state"].arn, aws_dynamodb_table.kcl["worker_metrics"].arn]
    }
  }

  # KCL 3.x: each worker lists its own leases through the lease table's GSI.
  dynamic "statement" {
    for_each = local.kcl_mode ? [1] : []

    content {
      sid       = "KclLeaseOwnerIndex"
      actions   = ["dynamodb:Query"]
      resources = ["${aws_dynamodb_table.leases.arn}/index/${local.kcl_lease_owner_index_name}"]
    }
  }

  # Amazon Connect's current agent states (GetCurrentUserData), the routing profiles it is filtered by and the
  # user names it resolves to; read-only, on this instance and its resources only.
  dynamic "statement" {
    for_each = var.connect_instance_id == null ? [] : [1]

    content {
      sid = "ReadCurrentAgentStates"
      actions = [
        "connect:GetCurrentUserData",
        "connect:ListRoutingProfiles",
        "connect:ListUsers",
      ]
      resources = [local.connect_instance_arn_pattern, "${local.connect_instance_arn_pattern}/*"]
    }
  }

  # The product's EMF metrics arrive through the log driver; this is for the KCL daemon's own metrics.
  statement {
    sid       = "PutConsumerMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["ConnectWfm", local.kcl_application_name]
    }
  }

  dynamic "statement" {
    for_each = local.kms_enabled ? [1] : []

    content {
      sid       = "DecryptStreamAndTables"
      actions   = ["kms:Decrypt"]
      resources = [local.kms_key_arn]

      # Only through the services whose data the consumer reads: the stream (Kinesis) and the tables (DynamoDB).
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for service in ["kinesis", "dynamodb"] : "${service}.${local.region}.amazonaws.com"]
      }
    }
  }
}

################################################################################
# Consumer task execution role (what the ECS agent may do to start the task)
################################################################################

resource "aws_iam_role" "consumer_execution" {
  name_prefix          = "${var.name}-rta-exec-"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.iam_role_permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy" "consumer_execution" {
  name   = "execution"
  role   = aws_iam_role.consumer_execution.id
  policy = data.aws_iam_policy_document.consumer_execution.json
}

data "aws_iam_policy_document" "consumer_execution" {
  dynamic "statement" {
    for_each = var.ecr_repository_arn == null ? [] : [1]

    content {
      sid       = "EcrAuthorizationToken"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.ecr_repository_arn == null ? [] : [var.ecr_repository_arn]

    content {
      sid       = "PullConsumerImage"
      actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
      resources = [statement.value]
    }
  }

  statement {
    sid       = "WriteConsumerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.consumer.arn}:*"]
  }

  statement {
    sid       = "InjectWfmAuthKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.wfm_auth_key.arn]
  }

  dynamic "statement" {
    for_each = local.kms_enabled ? [1] : []

    content {
      sid       = "DecryptWfmAuthKey"
      actions   = ["kms:Decrypt"]
      resources = [local.kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }
}

################################################################################
# Transfer function role
################################################################################

resource "aws_iam_role" "lambda" {
  name_prefix          = "${var.name}-transfer-"
  assume_role_policy   = data.aws_iam_policy_document.lambda_assume.json
  permissions_boundary = var.iam_role_permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy" "lambda" {
  name   = "transfer"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda.json
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    sid     = "LambdaOfThisAccount"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "lambda" {
  statement {
    sid       = "WriteFunctionLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda.arn}:*"]
  }

  # Read the objects and tag them as transferred (so a duplicate event uploads nothing).
  statement {
    sid     = "ReadAndMarkSourceObjects"
    actions = ["s3:GetObject", "s3:GetObjectTagging", "s3:PutObjectTagging"]
    resources = [
      "${aws_s3_bucket.this.arn}/${var.ctr_prefix}*",
      "${aws_s3_bucket.this.arn}/${var.report_prefix}*",
    ]
  }

  statement {
    sid       = "WriteQuarantine"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/quarantine/*"]
  }

  statement {
    sid = "ConsumeTransferQueue"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
    ]
    resources = [aws_sqs_queue.this.arn]
  }

  statement {
    sid = "CtrDeduplicationTable"
    actions = [
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:ConditionCheckItem",
    ]
    resources = [aws_dynamodb_table.ctr_dedup.arn]
  }

  statement {
    sid       = "ReadSftpCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.sftp.arn]
  }

  dynamic "statement" {
    for_each = local.kms_enabled ? [1] : []

    content {
      sid       = "UseDataKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [local.kms_key_arn]

      # Only through the services whose data the function reads and writes: objects and quarantine (S3), messages
      # (SQS), the de-duplication table (DynamoDB), the SFTP credentials (Secrets Manager).
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values = [for service in ["s3", "sqs", "dynamodb", "secretsmanager"] :
          "${service}.${local.region}.amazonaws.com"
        ]
      }
    }
  }

  dynamic "statement" {
    for_each = local.lambda_in_vpc ? [1] : []

    content {
      sid       = "LambdaVpcDescribeInterfaces"
      actions   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = local.lambda_in_vpc ? [1] : []

    content {
      sid = "LambdaVpcManageInterfaces"
      actions = [
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
      ]
      resources = concat(
        ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"],
        [for id in var.lambda_subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${id}"],
        [for sg in aws_security_group.lambda : sg.arn],
      )
    }
  }
}

################################################################################
# Firehose role
################################################################################

resource "aws_iam_role" "firehose" {
  name_prefix          = "${var.name}-firehose-"
  assume_role_policy   = data.aws_iam_policy_document.firehose_assume.json
  permissions_boundary = var.iam_role_permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy" "firehose" {
  name   = "delivery"
  role   = aws_iam_role.firehose.id
  policy = data.aws_iam_policy_document.firehose.json
}

data "aws_iam_policy_document" "firehose_assume" {
  statement {
    sid     = "FirehoseOfThisAccount"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "firehose" {
  statement {
    sid       = "LocateBucket"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.this.arn]
  }

  statement {
    sid       = "WriteContactRecords"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.this.arn}/${var.ctr_prefix}*", "${aws_s3_bucket.this.arn}/ctr-errors/*"]
  }

  statement {
    sid       = "WriteDeliveryLogs"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.firehose.arn}:*"]
  }

  dynamic "statement" {
    for_each = local.kms_enabled ? [1] : []

    content {
      sid       = "EncryptObjects"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [local.kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }
}
