################################################################################
# connect-wfm in an existing VPC: private subnets with a NAT gateway you already run (its Elastic IP is what
# Teleopti allow-lists), an existing ECR image, and the module's defaults (KCL mode, encrypted stream and tables).
################################################################################

provider "aws" {
  region = var.region
}

module "connect_wfm" {
  source = "../.."

  name = var.name
  tags = { Example = "existing-vpc" }

  # Wires the instance's agent events, contact records and scheduled reports (null: wire them by hand).
  connect_instance_id = var.connect_instance_id

  vpc_id             = var.vpc_id
  private_subnet_ids = var.private_subnet_ids
  lambda_subnet_ids  = var.private_subnet_ids

  consumer_image     = var.consumer_image
  ecr_repository_arn = var.ecr_repository_arn

  wfm_rta_url   = var.wfm_rta_url
  wfm_source_id = var.wfm_source_id

  lambda_artifact_path = var.lambda_artifact_path
  sftp_host            = var.sftp_host
  sftp_username        = var.sftp_username
  sftp_host_key_sha256 = var.sftp_host_key_sha256

  alarm_sns_topic_arn = var.alarm_sns_topic_arn
}
