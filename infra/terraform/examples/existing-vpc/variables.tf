variable "region" {
  description = "AWS region of the Connect instance and the VPC."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name prefix for this deployment."
  type        = string
  default     = "acme-wfm"
}

variable "connect_instance_id" {
  description = "Amazon Connect instance id to wire (null to wire it by hand)."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "The existing VPC."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of the VPC, routed through the NAT gateway whose Elastic IP Teleopti allow-lists."
  type        = list(string)
}

variable "consumer_image" {
  description = "Consumer image pinned by digest (repo@sha256:...) or an immutable tag."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ECR repository of consumer_image (null for a public registry)."
  type        = string
  default     = null
}

variable "lambda_artifact_path" {
  description = "Path of the transfer function zip built by the project."
  type        = string
}

variable "wfm_rta_url" {
  description = "Teleopti RTA base URL (https)."
  type        = string
}

variable "wfm_source_id" {
  description = "Teleopti RTA SourceId of the Connect instance."
  type        = string
}

variable "sftp_host" {
  description = "Teleopti SFTP host."
  type        = string
}

variable "sftp_username" {
  description = "Teleopti SFTP user."
  type        = string
}

variable "sftp_host_key_sha256" {
  description = "Pinned SHA-256 host key fingerprint of the SFTP server (ssh-keygen -lf)."
  type        = string
}

variable "alarm_sns_topic_arn" {
  description = "Existing SNS topic for alarms (null: alarms without actions)."
  type        = string
  default     = null
}
