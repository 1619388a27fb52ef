################################################################################
# DynamoDB: the KCL 3 tables (lease table with its GSI, coordinator state, worker metrics), agent-state table,
# CTR de-duplication table. Terraform creates every table the KCL daemon needs, so its role never creates tables.
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

  attribute {
    name = "leaseOwner"
    type = "S"
  }

  # KCL 3.x workers find their leases through this index; KCL would otherwise add it with UpdateTable at start
  # (DynamoDBLeaseRefresher.createLeaseOwnerToLeaseKeyIndexIfNotExists: hash leaseOwner, range leaseKey, keys only).
  global_secondary_index {
    name            = local.kcl_lease_owner_index_name
    hash_key        = "leaseOwner"
    range_key       = "leaseKey"
    projection_type = "KEYS_ONLY"
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

# KCL 3.x's other two tables, in KCL mode only: the leader lock and migration state (CoordinatorStateDAO, hash key
# "key"), and the per-worker load reports used for lease balancing (WorkerMetricStats, hash key "wid" = worker id).
resource "aws_dynamodb_table" "kcl" {
  for_each = local.kcl_mode ? local.kcl_tables : {}

  name         = each.value.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = each.value.hash_key

  deletion_protection_enabled = var.enable_table_deletion_protection

  attribute {
    name = each.value.hash_key
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
