# IAM asserted on the rendered policy JSON. aws_iam_policy_document is computed locally by the real AWS provider, so
# this suite keeps the real provider and overrides everything that would call AWS: the caller identity and region,
# and every managed resource (realistic ARNs where a policy names them). The documents depend on resources, so
# Terraform reads them at apply: every run applies, and an overridden resource is never sent to the provider. A
# resource added to the module without an override here fails this suite at apply (no credentials), never silently.

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = {
    account_id = "111122223333"
    arn        = "arn:aws:iam::111122223333:user/terraform-test"
    id         = "111122223333"
  }
}

override_data {
  target = data.aws_region.current
  values = {
    name = "eu-west-1"
  }
}

override_resource {
  target = aws_kms_key.this
  values = {
    arn    = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    key_id = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
  }
}

override_resource {
  target = aws_kinesis_stream.agent_events
  values = {
    arn = "arn:aws:kinesis:eu-west-1:111122223333:stream/acme-wfm-agent-events"
  }
}

override_resource {
  target = aws_s3_bucket.this
  values = {
    arn = "arn:aws:s3:::acme-wfm-connect-wfm-20261202000000000000000001"
    id  = "acme-wfm-connect-wfm-20261202000000000000000001"
  }
}

override_resource {
  target = aws_sqs_queue.this
  values = {
    arn = "arn:aws:sqs:eu-west-1:111122223333:acme-wfm-transfer"
    id  = "https://sqs.eu-west-1.amazonaws.com/111122223333/acme-wfm-transfer"
  }
}

override_resource {
  target = aws_sqs_queue.dlq
  values = {
    arn = "arn:aws:sqs:eu-west-1:111122223333:acme-wfm-transfer-dlq"
    id  = "https://sqs.eu-west-1.amazonaws.com/111122223333/acme-wfm-transfer-dlq"
  }
}

override_resource {
  target = aws_dynamodb_table.leases
  values = {
    arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-rta-consumer"
  }
}

override_resource {
  target = aws_dynamodb_table.kcl["coordinator_state"]
  values = {
    arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-rta-consumer-CoordinatorState"
  }
}

override_resource {
  target = aws_dynamodb_table.kcl["worker_metrics"]
  values = {
    arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-rta-consumer-WorkerMetricStats"
  }
}

override_resource {
  target = aws_dynamodb_table.agent_state
  values = {
    arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-agent-state"
  }
}

override_resource {
  target = aws_dynamodb_table.ctr_dedup
  values = {
    arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-ctr-dedup"
  }
}

override_resource {
  target = aws_cloudwatch_log_group.consumer
  values = {
    arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/acme-wfm-rta-consumer"
  }
}

override_resource {
  target = aws_cloudwatch_log_group.lambda
  values = {
    arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/acme-wfm-transfer"
  }
}

override_resource {
  target = aws_cloudwatch_log_group.firehose
  values = {
    arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/kinesisfirehose/acme-wfm-ctr"
  }
}

override_resource {
  target = aws_secretsmanager_secret.sftp
  values = {
    arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:acme-wfm/sftp-credentials-AbCdEf"
  }
}

override_resource {
  target = aws_secretsmanager_secret.wfm_auth_key
  values = {
    arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:acme-wfm/wfm-auth-key-GhIjKl"
  }
}

override_resource {
  target = aws_security_group.lambda
  values = {
    id  = "sg-0fedcba9876543210"
    arn = "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0fedcba9876543210"
  }
}

# Every other resource: only computed values nobody asserts on.
override_resource {
  target = aws_appautoscaling_policy.consumer_shards_per_task
}

override_resource {
  target = aws_appautoscaling_target.consumer
}

override_resource {
  target = aws_cloudwatch_dashboard.this
}

override_resource {
  target = aws_cloudwatch_event_rule.drain
  values = {
    arn = "arn:aws:events:eu-west-1:111122223333:rule/acme-wfm-transfer-drain"
  }
}

override_resource {
  target = aws_cloudwatch_event_target.drain
}

override_resource {
  target = aws_cloudwatch_log_stream.firehose_s3_delivery
}

override_resource {
  target = aws_cloudwatch_metric_alarm.consumer_lag
}

override_resource {
  target = aws_cloudwatch_metric_alarm.consumer_not_running
}

override_resource {
  target = aws_cloudwatch_metric_alarm.ctr_quarantined
}

override_resource {
  target = aws_cloudwatch_metric_alarm.dlq_not_empty
}

override_resource {
  target = aws_cloudwatch_metric_alarm.firehose_delivery
}

override_resource {
  target = aws_cloudwatch_metric_alarm.lambda_errors
}

override_resource {
  target = aws_cloudwatch_metric_alarm.post_failures
}

override_resource {
  target = aws_cloudwatch_metric_alarm.transfer_failures
}

override_resource {
  target = aws_connect_instance_storage_config.agent_events
}

override_resource {
  target = aws_connect_instance_storage_config.contact_trace_records
}

override_resource {
  target = aws_connect_instance_storage_config.scheduled_reports
}

override_resource {
  target = aws_ecs_cluster.this
  values = {
    arn = "arn:aws:ecs:eu-west-1:111122223333:cluster/acme-wfm-connect-wfm"
    id  = "arn:aws:ecs:eu-west-1:111122223333:cluster/acme-wfm-connect-wfm"
  }
}

override_resource {
  target = aws_ecs_service.consumer
}

override_resource {
  target = aws_ecs_task_definition.consumer
  values = {
    arn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/acme-wfm-rta-consumer:1"
  }
}

override_resource {
  target = aws_iam_role.consumer_execution
  values = {
    arn = "arn:aws:iam::111122223333:role/acme-wfm-rta-exec-0001"
    id  = "acme-wfm-rta-exec-0001"
  }
}

override_resource {
  target = aws_iam_role.consumer_task
  values = {
    arn = "arn:aws:iam::111122223333:role/acme-wfm-rta-task-0001"
    id  = "acme-wfm-rta-task-0001"
  }
}

override_resource {
  target = aws_iam_role.firehose
  values = {
    arn = "arn:aws:iam::111122223333:role/acme-wfm-firehose-0001"
    id  = "acme-wfm-firehose-0001"
  }
}

override_resource {
  target = aws_iam_role.lambda
  values = {
    arn = "arn:aws:iam::111122223333:role/acme-wfm-transfer-0001"
    id  = "acme-wfm-transfer-0001"
  }
}

override_resource {
  target = aws_iam_role_policy.consumer_execution
}

override_resource {
  target = aws_iam_role_policy.consumer_task
}

override_resource {
  target = aws_iam_role_policy.firehose
}

override_resource {
  target = aws_iam_role_policy.lambda
}

override_resource {
  target = aws_kinesis_firehose_delivery_stream.ctr
  values = {
    arn = "arn:aws:firehose:eu-west-1:111122223333:deliverystream/acme-wfm-ctr"
  }
}

override_resource {
  target = aws_kms_alias.this
}

override_resource {
  target = aws_lambda_event_source_mapping.sqs
}

override_resource {
  target = aws_lambda_function.transfer
  values = {
    arn = "arn:aws:lambda:eu-west-1:111122223333:function:acme-wfm-transfer"
  }
}

override_resource {
  target = aws_lambda_function_event_invoke_config.drain
}

override_resource {
  target = aws_lambda_permission.drain
}

override_resource {
  target = aws_s3_bucket_lifecycle_configuration.this
}

override_resource {
  target = aws_s3_bucket_logging.this
}

override_resource {
  target = aws_s3_bucket_notification.this
}

override_resource {
  target = aws_s3_bucket_ownership_controls.this
}

override_resource {
  target = aws_s3_bucket_policy.this
}

override_resource {
  target = aws_s3_bucket_public_access_block.this
}

override_resource {
  target = aws_s3_bucket_server_side_encryption_configuration.this
}

override_resource {
  target = aws_s3_bucket_versioning.this
}

override_resource {
  target = aws_security_group.consumer
  values = {
    id  = "sg-0123456789abcdef0"
    arn = "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0123456789abcdef0"
  }
}

override_resource {
  target = aws_sqs_queue_policy.this
}

override_resource {
  target = aws_sqs_queue_redrive_allow_policy.dlq
}

override_resource {
  target = aws_vpc_security_group_egress_rule.consumer_https
}

override_resource {
  target = aws_vpc_security_group_egress_rule.lambda_https
}

override_resource {
  target = aws_vpc_security_group_egress_rule.lambda_sftp
}

variables {
  lambda_subnet_ids   = ["subnet-0123456789abcdef0"]
  connect_instance_id = "00000000-1111-2222-3333-444444444444"
}

run "kcl_mode_policies" {
  command = apply

  # No Allow of "*", "service:*" or Resource "*" except the statements listed with a reason.
  assert {
    condition = length(flatten([
      for name, doc in local.rendered_policies : [
        for s in jsondecode(doc).Statement : "${name}/${try(s.Sid, "")}"
        if s.Effect == "Allow" && !contains(keys(local.iam_wildcard_reasons), try(s.Sid, "")) && (
          anytrue([for a in flatten([try(s.Action, [])]) : a == "*" || endswith(a, ":*")]) ||
          contains(flatten([try(s.Resource, [])]), "*") || can(s.NotAction) || can(s.NotResource)
        )
      ]
    ])) == 0
    error_message = "An Allow statement grants a wildcard without a reason in local.iam_wildcard_reasons: ${jsonencode(flatten([for name, doc in local.rendered_policies : [for s in jsondecode(doc).Statement : "${name}/${try(s.Sid, "")}" if s.Effect == "Allow" && !contains(keys(local.iam_wildcard_reasons), try(s.Sid, "")) && (anytrue([for a in flatten([try(s.Action, [])]) : a == "*" || endswith(a, ":*")]) || contains(flatten([try(s.Resource, [])]), "*"))]]))}"
  }

  # Kinesis read limited to the stream (no consumers in POLLING mode).
  assert {
    condition = alltrue(flatten([
      for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement : [
        for r in flatten([s.Resource]) : r == "arn:aws:kinesis:eu-west-1:111122223333:stream/acme-wfm-agent-events"
      ] if anytrue([for a in flatten([s.Action]) : startswith(a, "kinesis:")])
    ]))
    error_message = "Kinesis actions must name the agent event stream only."
  }

  # DynamoDB limited to the module's tables and the KCL index; the daemon never creates or changes tables.
  assert {
    condition = toset(flatten([
      for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement : flatten([s.Resource])
      if anytrue([for a in flatten([s.Action]) : startswith(a, "dynamodb:")])
      ])) == toset([
      "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-rta-consumer",
      "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-agent-state",
      "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-agent-state/index/shardId-index",
      "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-rta-consumer-CoordinatorState",
      "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-rta-consumer-WorkerMetricStats",
      "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-rta-consumer/index/LeaseOwnerToLeaseKeyIndex",
    ])
    error_message = "The consumer's DynamoDB access must be exactly the lease, agent-state and KCL 3 tables, the agent-state shard index and the lease-owner index."
  }

  assert {
    condition = length(flatten([
      for name, doc in local.rendered_policies : [
        for s in jsondecode(doc).Statement : s.Sid
        if s.Effect == "Allow" && length(setintersection(toset(flatten([try(s.Action, [])])), toset(["dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable", "dynamodb:UpdateContinuousBackups"]))) > 0
      ]
    ])) == 0
    error_message = "No role may create, change or delete tables: Terraform creates every table the KCL daemon needs."
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement : flatten([s.Resource])
      if contains(flatten([s.Action]), "dynamodb:Query") && length(flatten([s.Action])) == 1
    ]) == ["arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-rta-consumer/index/LeaseOwnerToLeaseKeyIndex"]
    error_message = "The index is reachable with Query only."
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement : toset(flatten([s.Action]))
      if s.Sid == "KclCoordinatorAndWorkerMetricsTables"
    ]) == toset(["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan"])
    error_message = "The KCL 3 tables get exactly what KCL 3.x does with them at run time."
  }

  # KCL mode's Connect truth lease is one item of the agent-state table (conditional UpdateItem, consistent GetItem):
  # no permission beyond what the children already use on that table.
  assert {
    condition = alltrue([
      for a in ["dynamodb:GetItem", "dynamodb:UpdateItem"] : anytrue([
        for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement :
        contains(flatten([s.Action]), a) && contains(flatten([s.Resource]), "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-agent-state")
      ])
    ])
    error_message = "The Connect truth job's lease needs GetItem and UpdateItem on the agent-state table."
  }

  # kms:Decrypt only through named services.
  assert {
    condition = alltrue(flatten([
      for name in ["consumer_task", "consumer_execution", "lambda", "firehose"] : [
        for s in jsondecode(local.rendered_policies[name]).Statement : can(s.Condition.StringEquals["kms:ViaService"])
        if anytrue([for a in flatten([s.Action]) : startswith(a, "kms:")])
      ]
    ]))
    error_message = "Every role's KMS use must carry a kms:ViaService condition."
  }

  assert {
    condition = toset(flatten([one([
      for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement : s.Condition.StringEquals["kms:ViaService"] if s.Sid == "DecryptStreamAndTables"
    ])])) == toset(["kinesis.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com"])
    error_message = "The consumer decrypts through Kinesis and DynamoDB only."
  }

  # Amazon Connect: exactly the three read actions, on this instance and its resources.
  assert {
    condition = [
      for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement : {
        actions   = toset(flatten([s.Action]))
        resources = toset(flatten([s.Resource]))
      } if anytrue([for a in flatten([s.Action]) : startswith(a, "connect:")])
      ] == [{
        actions = toset(["connect:GetCurrentUserData", "connect:ListRoutingProfiles", "connect:ListUsers"])
        resources = toset([
          "arn:aws:connect:eu-west-1:111122223333:instance/00000000-1111-2222-3333-444444444444",
          "arn:aws:connect:eu-west-1:111122223333:instance/00000000-1111-2222-3333-444444444444/*",
        ])
    }]
    error_message = "The consumer reads Connect with GetCurrentUserData, ListRoutingProfiles and ListUsers on its instance only."
  }

  # Service principals in the key and resource policies: aws:SourceAccount and aws:SourceArn.
  assert {
    condition = alltrue([
      for s in concat(jsondecode(data.aws_iam_policy_document.kms.json).Statement, jsondecode(data.aws_iam_policy_document.queue.json).Statement) :
      can(s.Condition.StringEquals["aws:SourceAccount"]) && (can(s.Condition.ArnEquals["aws:SourceArn"]) || can(s.Condition.ArnLike["aws:SourceArn"]))
      if !startswith(try(flatten([s.Principal.Service])[0], "logs."), "logs.")
    ])
    error_message = "A service principal in the key or queue policy lacks aws:SourceAccount or aws:SourceArn."
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.kms.json).Statement : s.Condition if s.Sid == "KeyUseByS3"
      ]) == {
      StringEquals = { "aws:SourceAccount" = "111122223333" }
      ArnEquals    = { "aws:SourceArn" = "arn:aws:s3:::acme-wfm-connect-wfm-20261202000000000000000001" }
    }
    error_message = "S3 may use the key for this bucket in this account only."
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.kms.json).Statement : s.Condition if s.Sid == "KeyUseByConnect"
      ]) == {
      StringEquals = { "aws:SourceAccount" = "111122223333" }
      ArnLike      = { "aws:SourceArn" = "arn:aws:connect:eu-west-1:111122223333:instance/00000000-1111-2222-3333-444444444444" }
    }
    error_message = "Connect may use the key for the wired instance in this account only."
  }

  assert {
    condition = toset(flatten([one([
      for s in jsondecode(data.aws_iam_policy_document.kms.json).Statement : s.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"] if s.Sid == "KeyUseByCloudWatchLogs"
    ])])) == toset([aws_cloudwatch_log_group.consumer.arn, aws_cloudwatch_log_group.lambda.arn, aws_cloudwatch_log_group.firehose.arn])
    error_message = "CloudWatch Logs may use the key for this module's log groups only."
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.queue.json).Statement : s.Condition if s.Sid == "AllowThisBucketOnly"
      ]) == {
      StringEquals = { "aws:SourceAccount" = "111122223333" }
      ArnEquals    = { "aws:SourceArn" = "arn:aws:s3:::acme-wfm-connect-wfm-20261202000000000000000001" }
    }
    error_message = "Only this bucket in this account may send to the queue."
  }

  # Secrets: each role reads only the secret it needs.
  assert {
    condition = toset(flatten([
      for name in ["consumer_task", "consumer_execution", "lambda", "firehose"] : [
        for s in jsondecode(local.rendered_policies[name]).Statement : "${name} ${join(",", flatten([s.Resource]))}"
        if contains(flatten([s.Action]), "secretsmanager:GetSecretValue")
      ]
      ])) == toset([
      "consumer_execution arn:aws:secretsmanager:eu-west-1:111122223333:secret:acme-wfm/wfm-auth-key-GhIjKl",
      "lambda arn:aws:secretsmanager:eu-west-1:111122223333:secret:acme-wfm/sftp-credentials-AbCdEf",
    ])
    error_message = "Only the execution role may read the RTA key and only the function the SFTP credentials."
  }
}

run "fanout_adds_only_the_stream_consumers" {
  command = apply

  variables {
    kcl_retrieval_mode = "FANOUT"
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement : flatten([s.Resource])
      if anytrue([for a in flatten([s.Action]) : startswith(a, "kinesis:")])
      ])) == toset([
      "arn:aws:kinesis:eu-west-1:111122223333:stream/acme-wfm-agent-events",
      "arn:aws:kinesis:eu-west-1:111122223333:stream/acme-wfm-agent-events/consumer/*",
    ])
    error_message = "Fan-out adds the stream's consumers, nothing else."
  }
}

run "direct_mode_has_no_kcl_table_access" {
  command = apply

  variables {
    consumer_mode = "direct"
  }

  assert {
    condition = length([
      for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement : s
      if strcontains(jsonencode(s.Resource), "CoordinatorState") || strcontains(jsonencode(s.Resource), "WorkerMetricStats") || strcontains(jsonencode(s.Resource), "/index/LeaseOwnerToLeaseKeyIndex")
    ]) == 0
    error_message = "Direct mode grants nothing on the KCL 3 tables or the index."
  }
}

run "connect_wired_by_hand_admits_this_accounts_instances" {
  command = apply

  variables {
    connect_instance_id = null
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.kms.json).Statement : s.Condition.ArnLike["aws:SourceArn"] if s.Sid == "KeyUseByConnect"
    ]) == "arn:aws:connect:eu-west-1:111122223333:instance/*"
    error_message = "Without connect_instance_id the key admits the Connect instances of this account and region only."
  }

  assert {
    condition = length([
      for s in jsondecode(data.aws_iam_policy_document.consumer_task.json).Statement : s
      if anytrue([for a in flatten([s.Action]) : startswith(a, "connect:")])
    ]) == 0
    error_message = "Without connect_instance_id the consumer gets no Amazon Connect permission."
  }
}
