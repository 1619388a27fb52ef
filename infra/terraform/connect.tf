################################################################################
# Amazon Connect wiring (only with connect_instance_id)
################################################################################

resource "aws_connect_instance_storage_config" "agent_events" {
  count = var.connect_instance_id == null ? 0 : 1

  # With an encrypted stream, Connect may use the key once report storage is configured with the same key (Connect
  # then holds a grant on it): the documented work-around for publishing to an SSE-KMS agent event stream.
  depends_on = [aws_connect_instance_storage_config.scheduled_reports]

  instance_id   = var.connect_instance_id
  resource_type = "AGENT_EVENTS"

  storage_config {
    storage_type = "KINESIS_STREAM"

    kinesis_stream_config {
      stream_arn = local.kinesis_stream_arn
    }
  }
}

resource "aws_connect_instance_storage_config" "contact_trace_records" {
  count = var.connect_instance_id == null ? 0 : 1

  instance_id   = var.connect_instance_id
  resource_type = "CONTACT_TRACE_RECORDS"

  storage_config {
    storage_type = "KINESIS_FIREHOSE"

    kinesis_firehose_config {
      firehose_arn = aws_kinesis_firehose_delivery_stream.ctr.arn
    }
  }
}

resource "aws_connect_instance_storage_config" "scheduled_reports" {
  count = var.connect_instance_id == null ? 0 : 1

  instance_id   = var.connect_instance_id
  resource_type = "SCHEDULED_REPORTS"

  storage_config {
    storage_type = "S3"

    s3_config {
      bucket_name   = aws_s3_bucket.this.id
      bucket_prefix = trimsuffix(var.report_prefix, "/")

      dynamic "encryption_config" {
        for_each = local.kms_enabled ? [1] : []

        content {
          encryption_type = "KMS"
          key_id          = local.kms_key_arn
        }
      }
    }
  }
}
