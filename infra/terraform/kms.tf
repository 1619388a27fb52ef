################################################################################
# KMS key (optional; else an existing key, else AWS-managed encryption)
################################################################################

resource "aws_kms_key" "this" {
  count = local.create_kms_key ? 1 : 0

  description             = "${var.name}: connect-wfm bucket, queue, tables, secrets, logs and agent event stream"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json

  tags = local.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name}-connect-wfm"
  target_key_id = aws_kms_key.this[0].key_id
}

data "aws_iam_policy_document" "kms" {
  statement {
    sid       = "KeyAdministrationByAccount"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # S3 sends event notifications to the encrypted queue: only for this bucket, in this account.
  statement {
    sid       = "KeyUseByS3"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.this.arn]
    }
  }

  # Amazon Connect publishes agent events to the encrypted stream and writes reports: only the wired instance (or,
  # when it is wired by hand, the Connect instances of this account and region). Firehose, Lambda and the consumer
  # use the key through their roles' IAM policies, which the first statement enables.
  statement {
    sid       = "KeyUseByConnect"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["connect.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.connect_instance_arn_pattern]
    }
  }

  # CloudWatch Logs passes the log group's ARN as encryption context: only this module's three log groups (named, not
  # referenced, because the log groups reference this key).
  statement {
    sid       = "KeyUseByCloudWatchLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [for name in local.log_group_names : "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${name}"]
    }
  }
}
