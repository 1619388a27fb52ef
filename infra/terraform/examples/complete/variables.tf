variable "region" {
  description = "AWS region of the Connect instance."
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

variable "kinesis_shard_count" {
  description = "Shards of the agent event stream (Teleopti suggests one per 500 agents)."
  type        = number
  default     = 2
}

variable "consumer_image_tag" {
  description = "Tag of the consumer image pushed to the ECR repository (immutable)."
  type        = string
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

variable "enable_grafana_dashboards" {
  description = "Provision the Grafana dashboard (set GRAFANA_URL and GRAFANA_AUTH)."
  type        = bool
  default     = false
}

variable "grafana_folder_uid" {
  description = "Grafana folder for the dashboards (null = General)."
  type        = string
  default     = null
}
