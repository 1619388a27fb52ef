################################################################################
# Firehose: contact records (DirectPut from Connect) -> S3 under ctr_prefix
################################################################################

resource "aws_kinesis_firehose_delivery_stream" "ctr" {
  name        = "${var.name}-ctr"
  destination = "extended_s3"

  # Connect writes with its service-linked role; an AWS-owned key needs no key-policy grant for it.
  server_side_encryption {
    enabled  = true
    key_type = "AWS_OWNED_CMK"
  }

  extended_s3_configuration {
    role_arn   = aws_iam_role.firehose.arn
    bucket_arn = aws_s3_bucket.this.arn

    # Hour folders keep listings small; the transfer function reacts to every object, not to folders.
    prefix              = "${var.ctr_prefix}!{timestamp:yyyy/MM/dd/HH}/"
    error_output_prefix = "ctr-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"
    buffering_interval  = var.firehose_buffering_interval_seconds
    buffering_size      = var.firehose_buffering_size_mb
    compression_format  = "UNCOMPRESSED"
    kms_key_arn         = local.kms_key_arn

    # Connect sends one compact JSON object per record with no delimiter; a newline between records keeps the
    # objects readable by line-oriented tools (the transfer function's scanner accepts either).
    processing_configuration {
      enabled = true

      processors {
        type = "AppendDelimiterToRecord"

        # The API's escaped form of a newline (what the console's "New line delimiter" option sets).
        parameters {
          parameter_name  = "Delimiter"
          parameter_value = "\\n"
        }
      }
    }

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose.name
      log_stream_name = aws_cloudwatch_log_stream.firehose_s3_delivery.name
    }
  }

  tags = local.tags
}

resource "aws_cloudwatch_log_group" "firehose" {
  name              = "/aws/kinesisfirehose/${var.name}-ctr"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = local.kms_key_arn

  tags = local.tags
}

resource "aws_cloudwatch_log_stream" "firehose_s3_delivery" {
  name           = "S3Delivery"
  log_group_name = aws_cloudwatch_log_group.firehose.name
}
