################################################################################
# Alarms. Custom metrics come from common/observability/metricNames.ts (namespace
# ConnectWfm); the infra tests fail if an alarm names a metric the product does not emit.
################################################################################

locals {
  alarm_actions = var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]

  # The transfer function publishes its EMF metrics under the dimension set [FunctionName].
  transfer_metric_dimensions = { FunctionName = local.lambda_function_name }
}

# The consumer stopped keeping up (or stopped reporting at all: missing data is breaching).
resource "aws_cloudwatch_metric_alarm" "consumer_lag" {
  alarm_name          = "${var.name}-consumer-lag"
  alarm_description   = "RTA consumer is more than ${var.consumer_lag_alarm_threshold_ms} ms behind the agent event stream (or silent): Teleopti shows stale agent states."
  namespace           = "ConnectWfm"
  metric_name         = "MillisBehindLatest"
  dimensions          = var.consumer_metric_dimensions
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = var.consumer_lag_alarm_threshold_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = local.tags
}

# No running consumer task (crash loop, failed deployment, image pull failure): the service's CPUUtilization has one
# sample per running task per minute, so its SampleCount is the running-task count without Container Insights.
resource "aws_cloudwatch_metric_alarm" "consumer_not_running" {
  alarm_name          = "${var.name}-consumer-not-running"
  alarm_description   = "No RTA consumer task has been running for 3 minutes: Teleopti receives no agent states."
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  dimensions          = { ClusterName = aws_ecs_cluster.this.name, ServiceName = aws_ecs_service.consumer.name }
  statistic           = "SampleCount"
  period              = 60
  evaluation_periods  = 3
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "post_failures" {
  alarm_name          = "${var.name}-rta-post-failures"
  alarm_description   = "Posts to the Teleopti RTA API keep failing (wrong key, WFM down or network)."
  namespace           = "ConnectWfm"
  metric_name         = "PostFailures"
  dimensions          = var.consumer_metric_dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  alarm_name          = "${var.name}-transfer-errors"
  alarm_description   = "The transfer function failed (crash or timeout)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.transfer.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = local.tags
}

# Partial batch failures are not Lambda errors: the function's own count catches them.
resource "aws_cloudwatch_metric_alarm" "transfer_failures" {
  alarm_name          = "${var.name}-transfer-failures"
  alarm_description   = "Objects failed to reach Teleopti's SFTP server (they will be retried, then dead-lettered)."
  namespace           = "ConnectWfm"
  metric_name         = "TransferFailures"
  dimensions          = local.transfer_metric_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${var.name}-transfer-dlq-not-empty"
  alarm_description   = "Objects that could not be transferred after ${var.sqs_max_receive_count} attempts wait in the dead-letter queue: fix the cause, then redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "firehose_delivery" {
  alarm_name          = "${var.name}-ctr-delivery-failures"
  alarm_description   = "Firehose failed to deliver contact records to S3 (see ctr-errors/ and the delivery log group)."
  namespace           = "AWS/Firehose"
  metric_name         = "DeliveryToS3.Success"
  dimensions          = { DeliveryStreamName = aws_kinesis_firehose_delivery_stream.ctr.name }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "ctr_quarantined" {
  alarm_name          = "${var.name}-ctr-quarantined"
  alarm_description   = "Contact records that are not valid JSON or not CTRs were written under quarantine/ instead of Teleopti."
  namespace           = "ConnectWfm"
  metric_name         = "CtrRecordsQuarantined"
  dimensions          = local.transfer_metric_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = local.tags
}
