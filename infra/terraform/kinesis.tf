################################################################################
# Kinesis agent event stream (created here, or an existing one by ARN)
################################################################################

resource "aws_kinesis_stream" "agent_events" {
  count = var.create_kinesis_stream ? 1 : 0

  name             = "${var.name}-agent-events"
  retention_period = var.kinesis_retention_period_hours
  shard_count      = var.kinesis_stream_mode == "PROVISIONED" ? var.kinesis_shard_count : null

  stream_mode_details {
    stream_mode = var.kinesis_stream_mode
  }

  # On by default (agent events carry names and usernames). See README "Encryption of the agent event stream":
  # Connect must be able to use the key.
  encryption_type = var.enable_kinesis_encryption ? "KMS" : "NONE"
  kms_key_id      = var.enable_kinesis_encryption ? local.kms_key_arn : null

  lifecycle {
    precondition {
      condition     = !var.enable_kinesis_encryption || local.kms_enabled
      error_message = "enable_kinesis_encryption needs a customer managed key: set create_kms_key = true or kms_key_arn."
    }
  }

  tags = local.tags
}
