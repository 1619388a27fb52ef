# What the module promises, planned and applied on a mocked AWS provider (no account, no network).
# Run: terraform init -backend=false -plugin-dir=<provider mirror> && terraform test   (jest runs it the same way)

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  consumer_min_tasks       = 2
  consumer_max_tasks       = 6
  consumer_shards_per_task = 3
}

################################################################################
# Defaults: KCL mode
################################################################################

run "defaults_plan_kcl_mode" {
  command = plan

  assert {
    condition     = aws_appautoscaling_target.consumer[0].min_capacity == 2 && aws_appautoscaling_target.consumer[0].max_capacity == 6
    error_message = "KCL mode must scale between consumer_min_tasks and consumer_max_tasks."
  }

  assert {
    condition     = aws_appautoscaling_policy.consumer_shards_per_task[0].target_tracking_scaling_policy_configuration[0].target_value == 3
    error_message = "The target must be consumer_shards_per_task open shards per task."
  }

  assert {
    condition = one([
      for m in aws_appautoscaling_policy.consumer_shards_per_task[0].target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].metrics :
      m.expression if m.return_data
    ]) == "open_shards / running_tasks"
    error_message = "Target tracking must follow open shards per running task."
  }

  assert {
    condition = one([
      for m in aws_appautoscaling_policy.consumer_shards_per_task[0].target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].metrics :
      "${m.metric_stat[0].metric[0].namespace} ${m.metric_stat[0].metric[0].metric_name} ${m.metric_stat[0].stat}" if m.id == "open_shards"
    ]) == "ConnectWfm OpenShardCount Maximum"
    error_message = "open_shards must be the consumer's OpenShardCount (Maximum)."
  }

  assert {
    condition = one([
      for m in aws_appautoscaling_policy.consumer_shards_per_task[0].target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].metrics :
      "${m.metric_stat[0].metric[0].namespace} ${m.metric_stat[0].metric[0].metric_name} ${m.metric_stat[0].stat}" if m.id == "running_tasks"
    ]) == "AWS/ECS CPUUtilization SampleCount"
    error_message = "running_tasks must be the SampleCount of the service's CPUUtilization."
  }

  assert {
    condition     = aws_ecs_service.consumer.deployment_minimum_healthy_percent == 100 && aws_ecs_service.consumer.deployment_maximum_percent == 200
    error_message = "KCL mode rolls deployments (leases move between workers)."
  }

  assert {
    condition     = aws_kinesis_stream.agent_events[0].encryption_type == "KMS"
    error_message = "The agent event stream must be encrypted by default (agent events carry names and usernames)."
  }
}

run "defaults_apply_kcl_mode" {
  command = apply

  # The KCL 3 tables and index the daemon needs, with the key schemas KCL 3.x uses.
  assert {
    condition     = aws_dynamodb_table.leases.name == "acme-wfm-rta-consumer" && aws_dynamodb_table.leases.hash_key == "leaseKey"
    error_message = "The lease table is named after the KCL application and keyed by leaseKey."
  }

  assert {
    condition = [for g in aws_dynamodb_table.leases.global_secondary_index : "${g.name} ${g.hash_key} ${g.range_key} ${g.projection_type}"] == [
      "LeaseOwnerToLeaseKeyIndex leaseOwner leaseKey KEYS_ONLY",
    ]
    error_message = "The lease table needs KCL 3's LeaseOwnerToLeaseKeyIndex (hash leaseOwner, range leaseKey, keys only)."
  }

  assert {
    condition     = aws_dynamodb_table.kcl["coordinator_state"].name == "acme-wfm-rta-consumer-CoordinatorState" && aws_dynamodb_table.kcl["coordinator_state"].hash_key == "key"
    error_message = "KCL 3's coordinator-state table is <application>-CoordinatorState with hash key \"key\"."
  }

  assert {
    condition     = aws_dynamodb_table.kcl["worker_metrics"].name == "acme-wfm-rta-consumer-WorkerMetricStats" && aws_dynamodb_table.kcl["worker_metrics"].hash_key == "wid"
    error_message = "KCL 3's worker-metrics table is <application>-WorkerMetricStats with hash key \"wid\"."
  }

  # Every resource that stores data is encrypted with the module's key.
  assert {
    condition = alltrue([
      for t in [aws_dynamodb_table.leases, aws_dynamodb_table.kcl["coordinator_state"], aws_dynamodb_table.kcl["worker_metrics"], aws_dynamodb_table.agent_state, aws_dynamodb_table.ctr_dedup] :
      try(t.server_side_encryption[0].enabled && t.server_side_encryption[0].kms_key_arn == aws_kms_key.this[0].arn && t.point_in_time_recovery[0].enabled, false)
    ])
    error_message = "Every table must be encrypted with the module's key, with point-in-time recovery: ${join(", ", [for t in [aws_dynamodb_table.leases, aws_dynamodb_table.kcl["coordinator_state"], aws_dynamodb_table.kcl["worker_metrics"], aws_dynamodb_table.agent_state, aws_dynamodb_table.ctr_dedup] : t.name if !try(t.server_side_encryption[0].enabled && t.server_side_encryption[0].kms_key_arn == aws_kms_key.this[0].arn && t.point_in_time_recovery[0].enabled, false)])} are not."
  }

  assert {
    condition     = aws_kinesis_stream.agent_events[0].encryption_type == "KMS" && aws_kinesis_stream.agent_events[0].kms_key_id == aws_kms_key.this[0].arn
    error_message = "The agent event stream must be encrypted with the module's key."
  }

  assert {
    condition = alltrue([
      for g in [aws_cloudwatch_log_group.consumer, aws_cloudwatch_log_group.lambda, aws_cloudwatch_log_group.firehose] : g.kms_key_id == aws_kms_key.this[0].arn
    ])
    error_message = "Every log group must be encrypted with the module's key."
  }

  assert {
    condition     = sort(local.log_group_names) == sort([aws_cloudwatch_log_group.consumer.name, aws_cloudwatch_log_group.lambda.name, aws_cloudwatch_log_group.firehose.name])
    error_message = "The key policy admits CloudWatch Logs for local.log_group_names: they must be exactly the module's log groups."
  }

  assert {
    condition     = aws_secretsmanager_secret.sftp.kms_key_id == aws_kms_key.this[0].arn && aws_secretsmanager_secret.wfm_auth_key.kms_key_id == aws_kms_key.this[0].arn
    error_message = "Both secrets must be encrypted with the module's key."
  }

  assert {
    condition = alltrue([
      for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : alltrue([
        for d in r.apply_server_side_encryption_by_default : d.sse_algorithm == "aws:kms" && d.kms_master_key_id == aws_kms_key.this[0].arn
      ])
    ])
    error_message = "The bucket must default to SSE-KMS with the module's key."
  }

  assert {
    condition     = aws_sqs_queue.this.kms_master_key_id == aws_kms_key.this[0].arn && aws_sqs_queue.dlq.kms_master_key_id == aws_kms_key.this[0].arn
    error_message = "The queue and its dead-letter queue must be encrypted with the module's key."
  }

  assert {
    condition     = aws_lambda_function.transfer.kms_key_arn == aws_kms_key.this[0].arn && aws_kinesis_firehose_delivery_stream.ctr.extended_s3_configuration[0].kms_key_arn == aws_kms_key.this[0].arn
    error_message = "The function's environment and the objects Firehose writes must be encrypted with the module's key."
  }

  # Firehose's own buffer is the one exception: Connect writes to it with its service-linked role, which no key policy
  # grant reaches, so it uses an AWS-owned key; the objects it writes use the module's key (asserted above).
  assert {
    condition     = aws_kinesis_firehose_delivery_stream.ctr.server_side_encryption[0].enabled && aws_kinesis_firehose_delivery_stream.ctr.server_side_encryption[0].key_type == "AWS_OWNED_CMK"
    error_message = "The Firehose buffer must stay encrypted (AWS-owned key, the documented exception)."
  }

  # Secrets reach the task only as `secrets`, never in `environment`.
  assert {
    condition = alltrue([
      for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment :
      length(regexall("(?i)(PASSWORD|PASSPHRASE|PRIVATE_KEY|AUTH_KEY|TOKEN|SECRET|CREDENTIALS)", e.name)) == 0 &&
      !startswith(e.value, "arn:aws:secretsmanager:")
    ])
    error_message = "The task definition's environment carries a secret-looking variable: secrets go in `secrets`."
  }

  assert {
    condition = jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].secrets == [
      { name = "WFM_AUTH_KEY", valueFrom = aws_secretsmanager_secret.wfm_auth_key.arn },
    ]
    error_message = "WFM_AUTH_KEY must be injected from its Secrets Manager secret (and nothing else is a secret)."
  }

  assert {
    condition = alltrue([
      for k, v in aws_lambda_function.transfer.environment[0].variables :
      length(regexall("(?i)(PASSWORD|PASSPHRASE|PRIVATE_KEY|AUTH_KEY|TOKEN|CREDENTIALS)", k)) == 0 && (k == "SFTP_SECRET_ARN" || !startswith(v, "arn:aws:secretsmanager:"))
    ])
    error_message = "The transfer function's environment may carry the secret's ARN only, never a credential."
  }

  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e.name => e.value
      if startswith(e.name, "KCL_") && endswith(e.name, "_TABLE")
      } == {
      KCL_COORDINATOR_STATE_TABLE = aws_dynamodb_table.kcl["coordinator_state"].name
      KCL_WORKER_METRICS_TABLE    = aws_dynamodb_table.kcl["worker_metrics"].name
    }
    error_message = "The task must name the KCL 3 tables Terraform created (KCL_COORDINATOR_STATE_TABLE, KCL_WORKER_METRICS_TABLE)."
  }

  # No output exposes a secret: the secret outputs are ARNs, and no output is a secret value.
  assert {
    condition     = output.wfm_auth_key_secret_arn == aws_secretsmanager_secret.wfm_auth_key.arn && output.sftp_secret_arn == aws_secretsmanager_secret.sftp.arn
    error_message = "Secret outputs must be ARNs, never values."
  }

  assert {
    condition     = !strcontains(jsonencode(jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment), "SecretString")
    error_message = "No secret value may reach the task definition."
  }
}

################################################################################
# Direct mode: exactly one reader, deployments never overlap
################################################################################

run "direct_mode_runs_exactly_one_task" {
  command = apply

  variables {
    consumer_mode = "direct"
  }

  assert {
    condition     = aws_ecs_service.consumer.desired_count == 1
    error_message = "Direct mode runs exactly one task."
  }

  assert {
    condition     = aws_ecs_service.consumer.deployment_minimum_healthy_percent == 0 && aws_ecs_service.consumer.deployment_maximum_percent == 100
    error_message = "Direct mode stops the old task before the new one starts (0 %/100 %): two readers never overlap."
  }

  assert {
    condition     = length(aws_appautoscaling_target.consumer) == 0 && length(aws_appautoscaling_policy.consumer_shards_per_task) == 0
    error_message = "Direct mode must not autoscale."
  }

  assert {
    condition     = length(aws_dynamodb_table.kcl) == 0
    error_message = "The KCL 3 coordinator-state and worker-metrics tables exist in KCL mode only."
  }

  assert {
    condition = length([
      for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e if startswith(e.name, "KCL_") && endswith(e.name, "_TABLE")
    ]) == 0
    error_message = "Direct mode names no KCL table."
  }

  assert {
    condition     = output.kcl_coordinator_state_table_name == null && output.kcl_worker_metrics_table_name == null
    error_message = "The KCL table outputs are null in direct mode."
  }
}

################################################################################
# An existing stream and an existing KMS key
################################################################################

run "existing_stream_and_key" {
  command = apply

  variables {
    create_kinesis_stream = false
    kinesis_stream_arn    = "arn:aws:kinesis:eu-west-1:111122223333:stream/connect-agent-events"
    kms_key_arn           = "arn:aws:kms:eu-west-1:111122223333:key/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0"
    connect_instance_id   = "00000000-1111-2222-3333-444444444444"
  }

  assert {
    condition     = length(aws_kinesis_stream.agent_events) == 0 && length(aws_kms_key.this) == 0 && length(aws_kms_alias.this) == 0
    error_message = "With an existing stream and key, the module creates neither."
  }

  assert {
    condition     = output.kinesis_stream_arn == var.kinesis_stream_arn && output.kinesis_stream_name == "connect-agent-events" && output.kms_key_arn == var.kms_key_arn
    error_message = "The outputs must name the given stream and key."
  }

  assert {
    condition     = one([for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e.value if e.name == "KINESIS_STREAM_ARN"]) == var.kinesis_stream_arn
    error_message = "The consumer must read the given stream."
  }

  assert {
    condition     = aws_connect_instance_storage_config.agent_events[0].storage_config[0].kinesis_stream_config[0].stream_arn == var.kinesis_stream_arn
    error_message = "Connect must publish agent events to the given stream."
  }

  assert {
    condition = alltrue([
      for t in [aws_dynamodb_table.leases, aws_dynamodb_table.kcl["coordinator_state"], aws_dynamodb_table.kcl["worker_metrics"], aws_dynamodb_table.agent_state, aws_dynamodb_table.ctr_dedup] :
      try(t.server_side_encryption[0].enabled && t.server_side_encryption[0].kms_key_arn == var.kms_key_arn, false)
    ])
    error_message = "Every table must be encrypted with the given key."
  }

  assert {
    condition = alltrue([
      for g in [aws_cloudwatch_log_group.consumer, aws_cloudwatch_log_group.lambda, aws_cloudwatch_log_group.firehose] : g.kms_key_id == var.kms_key_arn
    ]) && aws_secretsmanager_secret.wfm_auth_key.kms_key_id == var.kms_key_arn && aws_lambda_function.transfer.kms_key_arn == var.kms_key_arn
    error_message = "Logs, secrets and the function must use the given key."
  }

  # S3 can send to an SSE-KMS queue only if the key policy admits it, which the module cannot ensure for a given key.
  assert {
    condition     = aws_sqs_queue.this.sqs_managed_sse_enabled && aws_sqs_queue.this.kms_master_key_id == null
    error_message = "With a given key the queue falls back to SSE-SQS."
  }

  assert {
    condition = one(flatten([
      for c in aws_connect_instance_storage_config.scheduled_reports[0].storage_config[0].s3_config[0].encryption_config : [c.key_id]
    ])) == var.kms_key_arn
    error_message = "Report storage must use the given key (what lets Connect publish to the encrypted stream)."
  }
}

################################################################################
# The transfer function's trigger: SQS event source, or the scheduled drain
################################################################################

run "sqs_trigger" {
  command = apply

  variables {
    lambda_maximum_concurrency = 3
    lambda_batch_size          = 7
  }

  assert {
    condition     = length(aws_lambda_event_source_mapping.sqs) == 1 && length(aws_cloudwatch_event_rule.drain) == 0 && length(aws_lambda_permission.drain) == 0
    error_message = "sqs mode uses the event source mapping and no schedule."
  }

  assert {
    condition = (
      aws_lambda_event_source_mapping.sqs[0].event_source_arn == aws_sqs_queue.this.arn &&
      aws_lambda_event_source_mapping.sqs[0].batch_size == 7 &&
      aws_lambda_event_source_mapping.sqs[0].scaling_config[0].maximum_concurrency == 3 &&
      aws_lambda_event_source_mapping.sqs[0].function_response_types == toset(["ReportBatchItemFailures"])
    )
    error_message = "The mapping reads the transfer queue with partial batch responses and bounded concurrency."
  }

  assert {
    condition     = aws_lambda_function.transfer.reserved_concurrent_executions == -1 && !contains(keys(aws_lambda_function.transfer.environment[0].variables), "QUEUE_URL")
    error_message = "sqs mode reserves no concurrency and does not poll the queue itself."
  }

  assert {
    condition     = aws_sqs_queue.this.visibility_timeout_seconds == 6 * var.lambda_timeout_seconds
    error_message = "The queue's visibility timeout is six times the function timeout."
  }
}

run "scheduled_drain" {
  command = apply

  variables {
    lambda_trigger_mode        = "schedule"
    lambda_schedule_expression = "rate(10 minutes)"
  }

  assert {
    condition     = length(aws_lambda_event_source_mapping.sqs) == 0 && aws_cloudwatch_event_rule.drain[0].schedule_expression == "rate(10 minutes)"
    error_message = "schedule mode drains on the schedule, without an event source mapping."
  }

  assert {
    condition     = aws_cloudwatch_event_target.drain[0].arn == aws_lambda_function.transfer.arn && aws_lambda_function.transfer.reserved_concurrent_executions == 1
    error_message = "The schedule invokes the function, one run at a time."
  }

  assert {
    condition     = aws_lambda_permission.drain[0].source_arn == aws_cloudwatch_event_rule.drain[0].arn && aws_lambda_permission.drain[0].source_account == "111122223333"
    error_message = "Only this rule in this account may invoke the function."
  }

  assert {
    condition     = aws_lambda_function.transfer.environment[0].variables["QUEUE_URL"] == aws_sqs_queue.this.id && aws_lambda_function_event_invoke_config.drain[0].maximum_retry_attempts == 0
    error_message = "The drain reads the queue itself and is not retried asynchronously."
  }
}

################################################################################
# The transfer function in a VPC
################################################################################

run "lambda_in_vpc" {
  command = apply

  variables {
    lambda_subnet_ids       = ["subnet-0123456789abcdef0"]
    sftp_port               = 2222
    sftp_egress_cidr_blocks = ["203.0.113.10/32"]
  }

  assert {
    condition     = aws_lambda_function.transfer.vpc_config[0].subnet_ids == toset(["subnet-0123456789abcdef0"]) && aws_lambda_function.transfer.vpc_config[0].security_group_ids == toset([aws_security_group.lambda[0].id])
    error_message = "The function must be attached to the given subnets with its own security group."
  }

  assert {
    condition = (
      aws_vpc_security_group_egress_rule.lambda_sftp["203.0.113.10/32"].from_port == 2222 &&
      aws_vpc_security_group_egress_rule.lambda_sftp["203.0.113.10/32"].to_port == 2222 &&
      aws_vpc_security_group_egress_rule.lambda_https[0].from_port == 443 &&
      length(aws_vpc_security_group_egress_rule.lambda_sftp) == 1
    )
    error_message = "The function may reach only the SFTP server on sftp_port and AWS APIs on 443."
  }

  assert {
    condition     = output.lambda_security_group_id == aws_security_group.lambda[0].id
    error_message = "The output must name the function's security group."
  }
}

run "lambda_outside_vpc" {
  command = plan

  assert {
    condition     = length(aws_lambda_function.transfer.vpc_config) == 0 && length(aws_security_group.lambda) == 0
    error_message = "Without lambda_subnet_ids the function is not attached to a VPC."
  }
}

################################################################################
# Amazon Connect wiring on and off
################################################################################

run "connect_wiring_on" {
  command = apply

  variables {
    connect_instance_id = "00000000-1111-2222-3333-444444444444"
  }

  assert {
    condition = (
      aws_connect_instance_storage_config.agent_events[0].instance_id == var.connect_instance_id &&
      aws_connect_instance_storage_config.agent_events[0].storage_config[0].kinesis_stream_config[0].stream_arn == aws_kinesis_stream.agent_events[0].arn
    )
    error_message = "Agent events must go to the module's stream."
  }

  assert {
    condition     = aws_connect_instance_storage_config.contact_trace_records[0].storage_config[0].kinesis_firehose_config[0].firehose_arn == aws_kinesis_firehose_delivery_stream.ctr.arn
    error_message = "Contact records must go to the module's Firehose stream."
  }

  assert {
    condition = (
      aws_connect_instance_storage_config.scheduled_reports[0].storage_config[0].s3_config[0].bucket_name == aws_s3_bucket.this.id &&
      aws_connect_instance_storage_config.scheduled_reports[0].storage_config[0].s3_config[0].encryption_config[0].key_id == aws_kms_key.this[0].arn
    )
    error_message = "Reports must go to the bucket, encrypted with the stream's key (so Connect may publish to the encrypted stream)."
  }

  assert {
    condition = [
      for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e.value if e.name == "CONNECT_INSTANCE_ID"
    ] == [var.connect_instance_id]
    error_message = "The consumer must be told the instance whose current agent states it reads (CONNECT_INSTANCE_ID)."
  }
}

run "connect_wiring_off" {
  command = plan

  assert {
    condition = (
      length(aws_connect_instance_storage_config.agent_events) == 0 &&
      length(aws_connect_instance_storage_config.contact_trace_records) == 0 &&
      length(aws_connect_instance_storage_config.scheduled_reports) == 0
    )
    error_message = "Without connect_instance_id the module leaves the instance untouched."
  }

  assert {
    condition = length([
      for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e if e.name == "CONNECT_INSTANCE_ID"
    ]) == 0
    error_message = "Without connect_instance_id the consumer reads the event stream only."
  }
}

################################################################################
# Encryption off is an explicit choice that needs a key otherwise
################################################################################

run "stream_encryption_needs_a_key" {
  command = plan

  variables {
    create_kms_key = false
  }

  expect_failures = [aws_kinesis_stream.agent_events]
}

run "stream_encryption_off_by_written_exception" {
  command = plan

  variables {
    create_kms_key            = false
    enable_kinesis_encryption = false
  }

  assert {
    condition     = aws_kinesis_stream.agent_events[0].encryption_type == "NONE"
    error_message = "enable_kinesis_encryption = false leaves the stream unencrypted (the documented exception)."
  }
}
