output "wfm_auth_key_secret_arn" {
  description = "Put the Teleopti RTA key into this secret."
  value       = module.connect_wfm.wfm_auth_key_secret_arn
}

output "sftp_secret_arn" {
  description = "Put the SFTP password or private key into this secret."
  value       = module.connect_wfm.sftp_secret_arn
}

output "kinesis_stream_arn" {
  description = "Agent event stream (choose it in the Connect console if connect_instance_id is null)."
  value       = module.connect_wfm.kinesis_stream_arn
}

output "firehose_delivery_stream_arn" {
  description = "Contact-record delivery stream (choose it in the Connect console if connect_instance_id is null)."
  value       = module.connect_wfm.firehose_delivery_stream_arn
}

output "cloudwatch_dashboard_name" {
  description = "CloudWatch dashboard of the deployment."
  value       = module.connect_wfm.cloudwatch_dashboard_name
}
