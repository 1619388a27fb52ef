################################################################################
# Queue: S3 object-created events -> transfer function
################################################################################

resource "aws_sqs_queue" "this" {
  name = "${var.name}-transfer"

  # AWS: at least six times the function timeout, so a message is not redelivered while a slow batch still runs.
  visibility_timeout_seconds = 6 * var.lambda_timeout_seconds
  message_retention_seconds  = var.sqs_message_retention_seconds
  receive_wait_time_seconds  = 20

  sqs_managed_sse_enabled = local.sqs_kms_key_arn == null ? true : null
  kms_master_key_id       = local.sqs_kms_key_arn

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.sqs_max_receive_count
  })

  tags = local.tags
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy    = data.aws_iam_policy_document.queue.json
}

# Only this bucket, in this account, may send; nobody else may do anything (prior art admitted any bucket).
data "aws_iam_policy_document" "queue" {
  statement {
    sid       = "AllowThisBucketOnly"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.this.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

################################################################################
# Dead Letter Queue
################################################################################

resource "aws_sqs_queue" "dlq" {
  name = "${var.name}-transfer-dlq"

  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = local.sqs_kms_key_arn == null ? true : null
  kms_master_key_id         = local.sqs_kms_key_arn

  tags = local.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}
