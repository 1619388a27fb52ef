################################################################################
# KMS
################################################################################

output "kms_key_arn" {
  description = "The customer managed key in use (created or given), or null for AWS-managed encryption."
  value       = local.kms_key_arn
}

################################################################################
# Kinesis
################################################################################

output "kinesis_stream_arn" {
  description = "The agent event stream."
  value       = local.kinesis_stream_arn
}

output "kinesis_stream_name" {
  description = "Name of the agent event stream."
  value       = local.kinesis_stream_name
}

################################################################################
# Firehose and S3
################################################################################

output "firehose_delivery_stream_arn" {
  description = "Firehose stream receiving contact records (give it to Connect if connect_instance_id is not set)."
  value       = aws_kinesis_firehose_delivery_stream.ctr.arn
}

output "bucket_name" {
  description = "Bucket holding contact records (ctr_prefix) and scheduled reports (report_prefix)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

################################################################################
# SQS
################################################################################

output "queue_url" {
  description = "Transfer queue URL."
  value       = aws_sqs_queue.this.id
}

output "queue_arn" {
  description = "Transfer queue ARN."
  value       = aws_sqs_queue.this.arn
}

output "dead_letter_queue_url" {
  description = "Dead-letter queue URL (redrive from here after fixing a failure)."
  value       = aws_sqs_queue.dlq.id
}

output "dead_letter_queue_arn" {
  description = "Dead-letter queue ARN."
  value       = aws_sqs_queue.dlq.arn
}

################################################################################
# Lambda
################################################################################

output "lambda_function_name" {
  description = "Transfer function name."
  value       = aws_lambda_function.transfer.function_name
}

output "lambda_function_arn" {
  description = "Transfer function ARN."
  value       = aws_lambda_function.transfer.arn
}

output "lambda_role_arn" {
  description = "Transfer function execution role."
  value       = aws_iam_role.lambda.arn
}

output "lambda_security_group_id" {
  description = "Security group of the transfer function (VPC mode), or null."
  value       = try(aws_security_group.lambda[0].id, null)
}

################################################################################
# Secrets Manager (ARNs only: values are never in Terraform)
################################################################################

output "sftp_secret_arn" {
  description = "Secret to fill with the SFTP password or private key (see README)."
  value       = aws_secretsmanager_secret.sftp.arn
}

output "wfm_auth_key_secret_arn" {
  description = "Secret to fill with the Teleopti RTA authentication key (see README)."
  value       = aws_secretsmanager_secret.wfm_auth_key.arn
}

################################################################################
# DynamoDB
################################################################################

output "lease_table_name" {
  description = "KCL lease table (CHECKPOINT_TABLE)."
  value       = aws_dynamodb_table.leases.name
}

output "kcl_coordinator_state_table_name" {
  description = "KCL 3 coordinator-state table (KCL_COORDINATOR_STATE_TABLE), or null in direct mode."
  value       = try(aws_dynamodb_table.kcl["coordinator_state"].name, null)
}

output "kcl_worker_metrics_table_name" {
  description = "KCL 3 worker-metrics table (KCL_WORKER_METRICS_TABLE), or null in direct mode."
  value       = try(aws_dynamodb_table.kcl["worker_metrics"].name, null)
}

output "agent_state_table_name" {
  description = "Agent-state table (AGENT_STATE_TABLE)."
  value       = aws_dynamodb_table.agent_state.name
}

output "dedup_table_name" {
  description = "CTR de-duplication table (DEDUP_TABLE)."
  value       = aws_dynamodb_table.ctr_dedup.name
}

################################################################################
# ECS
################################################################################

output "ecs_cluster_name" {
  description = "Cluster of the consumer service."
  value       = aws_ecs_cluster.this.name
}

output "ecs_service_name" {
  description = "Consumer service."
  value       = aws_ecs_service.consumer.name
}

output "consumer_task_role_arn" {
  description = "Role the consumer runs with."
  value       = aws_iam_role.consumer_task.arn
}

output "consumer_security_group_id" {
  description = "Security group of the consumer tasks."
  value       = aws_security_group.consumer.id
}

output "kcl_application_name" {
  description = "KCL application name (lease table and KCL metrics namespace)."
  value       = local.kcl_application_name
}

################################################################################
# Alarms and dashboards
################################################################################

output "alarm_arns" {
  description = "Every alarm, by purpose."
  value = {
    consumer_lag         = aws_cloudwatch_metric_alarm.consumer_lag.arn
    consumer_not_running = aws_cloudwatch_metric_alarm.consumer_not_running.arn
    post_failures        = aws_cloudwatch_metric_alarm.post_failures.arn
    lambda_errors        = aws_cloudwatch_metric_alarm.lambda_errors.arn
    transfer_failures    = aws_cloudwatch_metric_alarm.transfer_failures.arn
    dlq_not_empty        = aws_cloudwatch_metric_alarm.dlq_not_empty.arn
    firehose_delivery    = aws_cloudwatch_metric_alarm.firehose_delivery.arn
    ctr_quarantined      = aws_cloudwatch_metric_alarm.ctr_quarantined.arn
  }
}

output "cloudwatch_dashboard_name" {
  description = "CloudWatch dashboard graphing the same metrics as dashboards/*.json (for Grafana: modules/grafana-dashboards)."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
