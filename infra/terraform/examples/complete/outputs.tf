output "nat_public_ips" {
  description = "Egress IP(s) to give Teleopti for its SFTP and RTA allow-lists."
  value       = module.vpc.nat_public_ips
}

output "ecr_repository_url" {
  description = "Push the consumer image here."
  value       = aws_ecr_repository.consumer.repository_url
}

output "sftp_secret_arn" {
  description = "Put the SFTP password or private key into this secret (README: steps Terraform cannot do)."
  value       = module.connect_wfm.sftp_secret_arn
}

output "wfm_auth_key_secret_arn" {
  description = "Put the Teleopti RTA key into this secret."
  value       = module.connect_wfm.wfm_auth_key_secret_arn
}

output "kinesis_stream_arn" {
  description = "Agent event stream."
  value       = module.connect_wfm.kinesis_stream_arn
}

output "alarm_topic_arn" {
  description = "Subscribe on-call to this topic."
  value       = aws_sns_topic.alarms.arn
}

output "dead_letter_queue_url" {
  description = "Redrive from here after fixing a transfer failure."
  value       = module.connect_wfm.dead_letter_queue_url
}

output "grafana_dashboard_urls" {
  description = "Provisioned Grafana dashboards (enable_grafana_dashboards), by file."
  value       = try(module.grafana_dashboards[0].dashboard_urls, {})
}

output "cloudwatch_dashboard_name" {
  description = "CloudWatch dashboard with the same graphs."
  value       = module.connect_wfm.cloudwatch_dashboard_name
}
