################################################################################
# Secrets Manager: values are put out of band (README), never through Terraform,
# so no credential ever reaches the plan, the state or an output.
################################################################################

resource "aws_secretsmanager_secret" "sftp" {
  name_prefix             = "${var.name}/sftp-credentials-"
  description             = "Teleopti SFTP credentials (password or private key) for the connect-wfm transfer function"
  kms_key_id              = local.kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_in_days

  tags = local.tags
}

resource "aws_secretsmanager_secret" "wfm_auth_key" {
  name_prefix             = "${var.name}/wfm-auth-key-"
  description             = "Teleopti RTA authentication key for the connect-wfm consumer"
  kms_key_id              = local.kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_in_days

  tags = local.tags
}
