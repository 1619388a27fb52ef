################################################################################
# DynamoDB: KCL lease table, agent-state table, CTR de-duplication table
################################################################################

# Layout of the KCL lease table (hash key leaseKey); also the checkpoint store in direct mode.
resource "aws_dynamodb_table" "leases" {
  name         = local.kcl_application_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "leaseKey"

  deletion_protection_enabled = var.enable_table_deletion_protection

  attribute {
    name = "leaseKey"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = local.kms_enabled
    kms_key_arn = local.kms_key_arn
  }

  tags = local.tags
}

resource "aws_dynamodb_table" "agent_state" {
  name         = "${var.name}-agent-state"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.agent_state_table_keys.hash_key
  range_key    = var.agent_state_table_keys.range_key

  deletion_protection_enabled = var.enable_table_deletion_protection

  attribute {
    name = var.agent_state_table_keys.hash_key
    type = "S"
  }

  dynamic "attribute" {
    for_each = var.agent_state_table_keys.range_key == null ? [] : [var.agent_state_table_keys.range_key]

    content {
      name = attribute.value
      type = "S"
    }
  }

  # A KCL child loads only the agents of its shard (and its parents) through this index, not the whole table.
  attribute {
    name = var.agent_state_table_keys.shard_attribute
    type = "S"
  }

  global_secondary_index {
    name            = var.agent_state_table_keys.shard_index
    hash_key        = var.agent_state_table_keys.shard_attribute
    projection_type = "ALL"
  }

  # Agents not seen for AGENT_EVICT_AFTER_HOURS (default 7 days) expire; the consumer refreshes it on every write.
  ttl {
    enabled        = true
    attribute_name = var.agent_state_table_keys.ttl_attribute
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = local.kms_enabled
    kms_key_arn = local.kms_key_arn
  }

  tags = local.tags
}

resource "aws_dynamodb_table" "ctr_dedup" {
  name         = "${var.name}-ctr-dedup"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.dedup_table_keys.hash_key

  deletion_protection_enabled = var.enable_table_deletion_protection

  attribute {
    name = var.dedup_table_keys.hash_key
    type = "S"
  }

  ttl {
    enabled        = true
    attribute_name = var.dedup_table_keys.ttl_attribute
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = local.kms_enabled
    kms_key_arn = local.kms_key_arn
  }

  tags = local.tags
}
