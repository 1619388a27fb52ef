################################################################################
# A complete deployment: VPC with one NAT gateway (the fixed egress IP Teleopti allow-lists), an ECR repository
# for the consumer image, an encrypted SNS topic for alarms, and the connect-wfm module wired to a Connect instance.
################################################################################

provider "aws" {
  region = var.region
}

# Only used with enable_grafana_dashboards = true; reads GRAFANA_URL and GRAFANA_AUTH from the environment.
provider "grafana" {}

data "aws_caller_identity" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name = var.name

  tags = {
    Name       = var.name
    Example    = "complete"
    Repository = "https://github.com/connect-wfm/connect-wfm"
  }

  # See the module's local of the same name: every IAM wildcard is written down with its reason.
  iam_wildcard_reasons = {
    AlarmTopicKeyAdministration  = "Key policies apply to the key they are attached to, so Resource * means this key only; the account root keeps administration."
    AlarmTopicKeyUseByCloudWatch = "Key policies apply to the key they are attached to, so Resource * means this key only; CloudWatch alarms of this account publish to the encrypted topic."
  }
}

################################################################################
# Network: private subnets for the consumer and the transfer function, one NAT gateway
################################################################################

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.13"

  name            = local.name
  cidr            = "10.42.0.0/16"
  azs             = slice(data.aws_availability_zones.available.names, 0, 2)
  private_subnets = ["10.42.1.0/24", "10.42.2.0/24"]
  public_subnets  = ["10.42.101.0/24", "10.42.102.0/24"]

  # One NAT gateway = one Elastic IP for Teleopti's SFTP and RTA allow-lists.
  enable_nat_gateway = true
  single_nat_gateway = true

  tags = local.tags
}

################################################################################
# Consumer image repository: immutable tags, scanned on push
################################################################################

resource "aws_ecr_repository" "consumer" {
  name                 = "${local.name}/connect-wfm"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
  }

  tags = local.tags
}

################################################################################
# Alarm topic, encrypted with a key CloudWatch may use (the AWS-managed aws/sns key does not admit CloudWatch)
################################################################################

resource "aws_kms_key" "alarms" {
  description         = "${local.name}: connect-wfm alarm topic"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.alarm_topic_key.json

  tags = local.tags
}

data "aws_iam_policy_document" "alarm_topic_key" {
  statement {
    sid       = "AlarmTopicKeyAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "AlarmTopicKeyUseByCloudWatch"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic" "alarms" {
  name              = "${local.name}-connect-wfm-alarms"
  kms_master_key_id = aws_kms_key.alarms.arn

  tags = local.tags
}

################################################################################
# connect-wfm
################################################################################

module "connect_wfm" {
  source = "../.."

  name = local.name
  tags = local.tags

  # Wires the instance's agent events, contact records and scheduled reports to this deployment.
  connect_instance_id = var.connect_instance_id

  # An encrypted stream Connect can publish to: the module's key admits Connect in its key policy.
  create_kms_key            = true
  enable_kinesis_encryption = true
  kinesis_stream_mode       = "PROVISIONED"
  kinesis_shard_count       = var.kinesis_shard_count

  vpc_id             = module.vpc.vpc_id
  private_subnet_ids = module.vpc.private_subnets
  lambda_subnet_ids  = module.vpc.private_subnets

  consumer_image     = "${aws_ecr_repository.consumer.repository_url}:${var.consumer_image_tag}"
  ecr_repository_arn = aws_ecr_repository.consumer.arn
  consumer_mode      = "kcl"
  consumer_min_tasks = 1
  consumer_max_tasks = var.kinesis_shard_count

  wfm_rta_url   = var.wfm_rta_url
  wfm_source_id = var.wfm_source_id

  lambda_artifact_path = var.lambda_artifact_path
  sftp_host            = var.sftp_host
  sftp_username        = var.sftp_username
  sftp_host_key_sha256 = var.sftp_host_key_sha256

  alarm_sns_topic_arn = aws_sns_topic.alarms.arn
}

################################################################################
# Grafana (optional): the module's dashboards/*.json provisioned through the grafana provider. The CloudWatch
# dashboard (module output cloudwatch_dashboard_name) graphs the same metrics without Grafana.
################################################################################

module "grafana_dashboards" {
  source = "../../modules/grafana-dashboards"
  count  = var.enable_grafana_dashboards ? 1 : 0

  folder_uid = var.grafana_folder_uid
}
