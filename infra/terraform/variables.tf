################################################################################
# General
################################################################################

variable "name" {
  description = "Prefix for every resource name (lower case letters, digits and hyphens, 3-24 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,23}$", var.name))
    error_message = "name must be 3-24 characters of a-z, 0-9 and '-', starting with a letter (it prefixes S3 and IAM names)."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource (merged under the module's own connect-wfm:* tags)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "log_retention_in_days" {
  description = "Retention of every CloudWatch log group this module creates."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of the values CloudWatch Logs accepts (never 0 = forever)."
  }
}

variable "iam_role_permissions_boundary_arn" {
  description = "Permissions boundary attached to every IAM role the module creates (organisations that require one)."
  type        = string
  default     = null
}

################################################################################
# KMS
################################################################################

variable "create_kms_key" {
  description = "Create a customer managed KMS key for the bucket, queue, tables, secrets, logs and (optionally) the stream. Ignored when kms_key_arn is set."
  type        = bool
  default     = true
  nullable    = false
}

variable "kms_key_arn" {
  description = "An existing customer managed key to use instead of creating one, e.g. the key the Connect instance already uses for recordings or reports (required for an encrypted agent event stream, see README). Its key policy must admit the services listed in the README."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before a created KMS key is deleted (7-30)."
  type        = number
  default     = 30
}

################################################################################
# Amazon Connect
################################################################################

variable "connect_instance_id" {
  description = "Amazon Connect instance id. When set, the instance's agent events, contact records and scheduled reports are wired to this module's stream, Firehose and bucket, and the consumer reads the instance's current agent states (CONNECT_INSTANCE_ID; connect:GetCurrentUserData, ListRoutingProfiles, ListUsers on this instance). Null leaves the instance untouched."
  type        = string
  default     = null
}

################################################################################
# Kinesis (agent event stream)
################################################################################

variable "create_kinesis_stream" {
  description = "Create the agent event stream. False uses kinesis_stream_arn."
  type        = bool
  default     = true
  nullable    = false
}

variable "kinesis_stream_arn" {
  description = "ARN of an existing agent event stream (when create_kinesis_stream = false)."
  type        = string
  default     = null

  validation {
    condition     = var.kinesis_stream_arn == null || can(regex("^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[A-Za-z0-9_.-]+$", var.kinesis_stream_arn))
    error_message = "kinesis_stream_arn must be a Kinesis stream ARN."
  }
}

variable "kinesis_stream_mode" {
  description = "ON_DEMAND (pay per GB, no shard planning) or PROVISIONED (kinesis_shard_count shards; Teleopti suggests one shard per 500 agents)."
  type        = string
  default     = "PROVISIONED"

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.kinesis_stream_mode)
    error_message = "kinesis_stream_mode must be ON_DEMAND or PROVISIONED."
  }
}

variable "kinesis_shard_count" {
  description = "Shards of a PROVISIONED stream (1-500 here; each is 1 MB/s in, 2 MB/s out)."
  type        = number
  default     = 1

  validation {
    condition     = var.kinesis_shard_count >= 1 && var.kinesis_shard_count <= 500 && floor(var.kinesis_shard_count) == var.kinesis_shard_count
    error_message = "kinesis_shard_count must be a whole number from 1 to 500."
  }
}

variable "kinesis_retention_period_hours" {
  description = "Stream retention (24-8760 h). A consumer stopped longer than this loses events."
  type        = number
  default     = 24

  validation {
    condition     = var.kinesis_retention_period_hours >= 24 && var.kinesis_retention_period_hours <= 8760
    error_message = "kinesis_retention_period_hours must be 24-8760."
  }
}

variable "enable_kinesis_encryption" {
  description = "Encrypt the created stream with the module's KMS key (agent events carry names and usernames). Connect can publish to it because the key is the one its report storage uses (connect_instance_id) and the key policy admits Connect; see README. False needs a written exception."
  type        = bool
  default     = true
  nullable    = false
}

################################################################################
# Firehose (contact records)
################################################################################

variable "ctr_prefix" {
  description = "S3 prefix for contact-record objects written by Firehose (must end with '/')."
  type        = string
  default     = "ctr/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]*/$", var.ctr_prefix))
    error_message = "ctr_prefix must be one lower-case path segment ending with '/'."
  }
}

variable "firehose_buffering_interval_seconds" {
  description = "Firehose buffering interval. Must divide Teleopti's 15-minute interval (60, 90, 100, 150, 180, 225, 300, 450, 900) so files line up with it; 300 delivers within 5 minutes."
  type        = number
  default     = 300

  validation {
    condition     = var.firehose_buffering_interval_seconds >= 60 && var.firehose_buffering_interval_seconds <= 900 && 900 % var.firehose_buffering_interval_seconds == 0
    error_message = "firehose_buffering_interval_seconds must be 60-900 and divide 900 (Teleopti's 15-minute interval)."
  }
}

variable "firehose_buffering_size_mb" {
  description = "Firehose buffer size (1-128 MB); whichever of size and interval comes first flushes."
  type        = number
  default     = 64
}

################################################################################
# S3
################################################################################

variable "bucket_force_destroy" {
  description = "Allow terraform destroy to delete a non-empty bucket. Keep false in production."
  type        = bool
  default     = false
  nullable    = false
}

variable "bucket_expiration_days" {
  description = "Days after which contact-record and report objects expire (Teleopti's requirements ask for 30)."
  type        = number
  default     = 30
}

variable "bucket_access_logs" {
  description = "Server access logging of the bucket into an existing log bucket (target_bucket, target_prefix). Null: off."
  type = object({
    target_bucket = string
    target_prefix = optional(string, "connect-wfm/")
  })
  default = null
}

variable "report_prefix" {
  description = "S3 prefix under which Connect writes the scheduled agent-performance report (must end with '/')."
  type        = string
  default     = "reports/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_/-]*/$", var.report_prefix))
    error_message = "report_prefix must be a lower-case path ending with '/'."
  }
}

################################################################################
# SQS
################################################################################

variable "sqs_max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue (1-20)."
  type        = number
  default     = 5
}

variable "sqs_message_retention_seconds" {
  description = "Retention of the transfer queue (the dead-letter queue keeps 14 days)."
  type        = number
  default     = 345600
}

################################################################################
# Lambda (transfer function)
################################################################################

variable "lambda_artifact_path" {
  description = "Path of the transfer function's zip (built by the project; handler index.handler)."
  type        = string
}

variable "lambda_trigger_mode" {
  description = "sqs: an event-source mapping with partial batch responses (near real time). schedule: an EventBridge schedule drains the queue (the original design)."
  type        = string
  default     = "sqs"

  validation {
    condition     = contains(["sqs", "schedule"], var.lambda_trigger_mode)
    error_message = "lambda_trigger_mode must be sqs or schedule."
  }
}

variable "lambda_schedule_expression" {
  description = "EventBridge schedule for drain mode."
  type        = string
  default     = "rate(5 minutes)"
}

variable "lambda_timeout_seconds" {
  description = "Function timeout (1-900 s). The queue's visibility timeout is six times this."
  type        = number
  default     = 120

  validation {
    condition     = var.lambda_timeout_seconds >= 1 && var.lambda_timeout_seconds <= 900
    error_message = "lambda_timeout_seconds must be 1-900."
  }
}

variable "lambda_memory_size_mb" {
  description = "Function memory (128-10240 MB); the converter streams, so 512 is plenty."
  type        = number
  default     = 512
}

variable "lambda_batch_size" {
  description = "SQS messages per invocation (sqs mode)."
  type        = number
  default     = 5
}

variable "lambda_maximum_concurrency" {
  description = "Maximum concurrent invocations from the queue (2-1000); bounds the SSH connections opened to Teleopti's SFTP server."
  type        = number
  default     = 2

  validation {
    condition     = var.lambda_maximum_concurrency >= 2 && var.lambda_maximum_concurrency <= 1000
    error_message = "lambda_maximum_concurrency must be 2-1000 (the SQS event source's limits)."
  }
}

variable "lambda_subnet_ids" {
  description = "Private subnets (routed through a NAT gateway with a fixed Elastic IP that Teleopti allow-lists). Empty: no VPC attachment."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "csv_layout" {
  description = "CSV layout of converted contact records: standard (Teleopti's 16 columns) or extended."
  type        = string
  default     = "standard"

  validation {
    condition     = contains(["standard", "extended"], var.csv_layout)
    error_message = "csv_layout must be standard or extended."
  }
}

variable "sftp_host" {
  description = "Teleopti SFTP host name."
  type        = string
}

variable "sftp_port" {
  description = "Teleopti SFTP port."
  type        = number
  default     = 22
}

variable "sftp_username" {
  description = "Teleopti SFTP user (not a secret; the password or key lives in the Secrets Manager secret)."
  type        = string
}

variable "sftp_host_key_sha256" {
  description = "Pinned SHA-256 fingerprint of the SFTP server's host key (as printed by ssh-keygen -lf, e.g. SHA256:abc...). A mismatch refuses to connect."
  type        = string

  validation {
    condition     = can(regex("^SHA256:[A-Za-z0-9+/]{43}=?$", var.sftp_host_key_sha256))
    error_message = "sftp_host_key_sha256 must look like SHA256:<43 base64 characters>."
  }
}

variable "sftp_remote_dir" {
  description = "Remote directory Teleopti imports from."
  type        = string
  default     = "/"
}

variable "sftp_egress_cidr_blocks" {
  description = "CIDR blocks the transfer function may reach on sftp_port (VPC mode). Default: anywhere."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

################################################################################
# Secrets Manager
################################################################################

variable "secret_recovery_window_in_days" {
  description = "Recovery window of the secrets (0 deletes at once; 7-30 otherwise)."
  type        = number
  default     = 30
}

################################################################################
# DynamoDB
################################################################################

variable "enable_table_deletion_protection" {
  description = "Deletion protection on every table (lease, KCL 3 coordinator-state and worker-metrics, agent-state, de-duplication)."
  type        = bool
  default     = true
  nullable    = false
}

variable "agent_state_table_keys" {
  description = "Key schema, shard index and TTL attribute of the agent-state table (string attributes), as the consumer's DynamoDB store expects (hash key userCode, index shardId-index on shardId, TTL on expiresAt)."
  type = object({
    hash_key        = string
    range_key       = optional(string)
    shard_attribute = optional(string, "shardId")
    shard_index     = optional(string, "shardId-index")
    ttl_attribute   = optional(string, "expiresAt")
  })
  default = { hash_key = "userCode" }
}

variable "dedup_table_keys" {
  description = "Key attribute and TTL attribute of the CTR de-duplication table, as the transfer function expects."
  type = object({
    hash_key      = string
    ttl_attribute = string
  })
  default = { hash_key = "contactId", ttl_attribute = "expiresAt" }
}

################################################################################
# ECS (RTA consumer)
################################################################################

variable "vpc_id" {
  description = "VPC of the consumer tasks (and of the transfer function when lambda_subnet_ids is set)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of the consumer tasks (no public IP; egress through NAT or VPC endpoints)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) > 0
    error_message = "private_subnet_ids needs at least one subnet."
  }
}

variable "consumer_image" {
  description = "Consumer container image, pinned by digest (repo@sha256:...) or an immutable tag; ':latest' is refused."
  type        = string

  validation {
    condition     = can(regex("(@sha256:[0-9a-f]{64}|:[A-Za-z0-9_.-]+)$", var.consumer_image)) && !endswith(var.consumer_image, ":latest")
    error_message = "consumer_image must end with @sha256:<digest> or :<tag>, and the tag must not be latest."
  }
}

variable "ecr_repository_arn" {
  description = "ECR repository of consumer_image, so the execution role may pull from it (and only it). Null for a public registry."
  type        = string
  default     = null
}

variable "consumer_mode" {
  description = "kcl: the KCL MultiLangDaemon spreads shards over autoscaled tasks. direct: exactly one task reads every shard."
  type        = string
  default     = "kcl"

  validation {
    condition     = contains(["kcl", "direct"], var.consumer_mode)
    error_message = "consumer_mode must be kcl or direct."
  }
}

variable "kcl_application_name" {
  description = "KCL application name (also the lease table name and the KCL metrics namespace). Default: <name>-rta-consumer."
  type        = string
  default     = null
}

variable "kcl_retrieval_mode" {
  description = "POLLING (shares the 2 MB/s per shard read limit) or FANOUT (enhanced fan-out: dedicated throughput, extra cost per consumer-shard-hour)."
  type        = string
  default     = "POLLING"

  validation {
    condition     = contains(["POLLING", "FANOUT"], var.kcl_retrieval_mode)
    error_message = "kcl_retrieval_mode must be POLLING or FANOUT."
  }
}

variable "consumer_cpu" {
  description = "Fargate CPU units per task."
  type        = number
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.consumer_cpu)
    error_message = "consumer_cpu must be a Fargate CPU value (256-16384)."
  }
}

variable "consumer_memory" {
  description = "Fargate memory (MiB) per task; KCL mode runs one JVM plus one Node child (~45 MB+) per shard lease."
  type        = number
  default     = 2048
}

variable "consumer_cpu_architecture" {
  description = "X86_64 or ARM64 (about 20% cheaper; the image must be built for arm64)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.consumer_cpu_architecture)
    error_message = "consumer_cpu_architecture must be X86_64 or ARM64."
  }
}

variable "consumer_stop_timeout_seconds" {
  description = "Time between SIGTERM and SIGKILL (30-120 s on Fargate): the consumer flushes the open window, delivers and checkpoints."
  type        = number
  default     = 120

  validation {
    condition     = var.consumer_stop_timeout_seconds >= 30 && var.consumer_stop_timeout_seconds <= 120
    error_message = "consumer_stop_timeout_seconds must be 30-120 (Fargate's maximum is 120)."
  }
}

variable "consumer_min_tasks" {
  description = "Minimum consumer tasks in kcl mode."
  type        = number
  default     = 1
}

variable "consumer_max_tasks" {
  description = "Maximum consumer tasks in kcl mode (more tasks than open shards stay idle)."
  type        = number
  default     = 4
}

variable "consumer_shards_per_task" {
  description = "Target open shards per task for target-tracking scaling in kcl mode."
  type        = number
  default     = 4
}

variable "consumer_egress_cidr_blocks" {
  description = "Where consumer tasks may connect on 443 (AWS APIs and the Teleopti RTA endpoint)."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "enable_container_insights" {
  description = "Container Insights on the cluster (extra CloudWatch cost)."
  type        = bool
  default     = false
  nullable    = false
}

variable "wfm_rta_url" {
  description = "Teleopti RTA base URL (https)."
  type        = string

  validation {
    condition     = startswith(var.wfm_rta_url, "https://")
    error_message = "wfm_rta_url must use https (TLS verification stays on)."
  }
}

variable "wfm_source_id" {
  description = "Teleopti RTA SourceId of this Connect instance."
  type        = string
}

variable "rta_state_mode" {
  description = "Which Connect state becomes the RTA state code: status (agent status) or contact (contact state)."
  type        = string
  default     = "status"

  validation {
    condition     = contains(["status", "contact"], var.rta_state_mode)
    error_message = "rta_state_mode must be status or contact."
  }
}

variable "rta_window_ms" {
  description = "Window in which agent events are reduced to one state per agent before posting."
  type        = number
  default     = 5000
}

variable "consumer_metric_dimensions" {
  description = "CloudWatch dimensions under which the consumer publishes MillisBehindLatest, PostFailures and OpenShardCount (the EMF dimension set alarms and scaling read). Empty = the namespace-wide set. The transfer function's metrics are read under [FunctionName]."
  type        = map(string)
  default     = {}
  nullable    = false
}

################################################################################
# Alarms
################################################################################

variable "alarm_sns_topic_arn" {
  description = "SNS topic notified when an alarm fires or recovers. Null creates the alarms without actions."
  type        = string
  default     = null
}

variable "consumer_lag_alarm_threshold_ms" {
  description = "Alarm when the consumer's MillisBehindLatest stays above this for 3 minutes."
  type        = number
  default     = 60000
}
