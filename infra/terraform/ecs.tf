################################################################################
# Cluster
################################################################################

resource "aws_ecs_cluster" "this" {
  name = "${var.name}-connect-wfm"

  setting {
    name  = "containerInsights"
    value = var.enable_container_insights ? "enabled" : "disabled"
  }

  tags = local.tags
}

################################################################################
# Service: the RTA consumer
################################################################################

resource "aws_ecs_service" "consumer" {
  name            = "${var.name}-rta-consumer"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.consumer.arn
  launch_type     = "FARGATE"
  propagate_tags  = "SERVICE"

  enable_ecs_managed_tags = true

  # kcl: autoscaling owns the count from here on. direct: exactly one task reads every shard.
  desired_count = local.kcl_mode ? var.consumer_min_tasks : 1

  # direct: stop the old task before starting the new one, so two readers never post the same agents (0/100).
  # kcl: leases move between tasks, so a rolling overlap is safe (100/200).
  deployment_minimum_healthy_percent = local.kcl_mode ? 100 : 0
  deployment_maximum_percent         = local.kcl_mode ? 200 : 100

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.consumer.id]
    assign_public_ip = false
  }

  enable_execute_command = false

  lifecycle {
    # Scaling changes the count at run time; a plan must not reset it.
    ignore_changes = [desired_count]
    # ... so a mode switch replaces the service: otherwise a switch to direct mode would keep the count autoscaling
    # left behind, and several direct readers would post the same agents.
    replace_triggered_by = [terraform_data.consumer_mode]
  }

  tags = local.tags
}

resource "terraform_data" "consumer_mode" {
  input = var.consumer_mode
}

################################################################################
# Task definition
################################################################################

resource "aws_ecs_task_definition" "consumer" {
  family                   = "${var.name}-rta-consumer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.consumer_cpu
  memory                   = var.consumer_memory
  execution_role_arn       = aws_iam_role.consumer_execution.arn
  task_role_arn            = aws_iam_role.consumer_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.consumer_cpu_architecture
  }

  # Writable scratch space for a read-only root file system.
  volume {
    name = "state"
  }

  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = "consumer"
      image                  = var.consumer_image
      essential              = true
      readonlyRootFilesystem = true
      user                   = "1000:1000"

      # Fargate's maximum: time for the open window to flush, deliver and checkpoint after SIGTERM.
      stopTimeout = var.consumer_stop_timeout_seconds

      environment = concat([
        { name = "CONSUMER_MODE", value = var.consumer_mode },
        { name = "KCL_RETRIEVAL_MODE", value = var.kcl_retrieval_mode },
        { name = "KINESIS_STREAM_ARN", value = local.kinesis_stream_arn },
        { name = "AWS_REGION", value = local.region },
        { name = "CHECKPOINT_TABLE", value = aws_dynamodb_table.leases.name },
        { name = "AGENT_STATE_TABLE", value = aws_dynamodb_table.agent_state.name },
        { name = "STATE_DIR", value = "/var/lib/connect-wfm" },
        { name = "HEALTH_PORT", value = "8080" },
        { name = "WFM_RTA_URL", value = var.wfm_rta_url },
        { name = "WFM_SOURCE_ID", value = var.wfm_source_id },
        { name = "RTA_STATE_MODE", value = var.rta_state_mode },
        { name = "RTA_WINDOW_MS", value = tostring(var.rta_window_ms) },
        ], var.connect_instance_id == null ? [] : [
        # Current agent states from the instance: snapshot at first start or after an outage, reconciliation.
        { name = "CONNECT_INSTANCE_ID", value = var.connect_instance_id },
        ], local.kcl_mode ? [
        # The KCL 3 tables Terraform created: the daemon's properties name them, so it never tries to create its own.
        { name = "KCL_COORDINATOR_STATE_TABLE", value = aws_dynamodb_table.kcl["coordinator_state"].name },
        { name = "KCL_WORKER_METRICS_TABLE", value = aws_dynamodb_table.kcl["worker_metrics"].name },
      ] : [])

      # Injected by the ECS agent from Secrets Manager; never a plain environment value.
      secrets = [
        { name = "WFM_AUTH_KEY", valueFrom = aws_secretsmanager_secret.wfm_auth_key.arn },
      ]

      mountPoints = [
        { sourceVolume = "state", containerPath = "/var/lib/connect-wfm", readOnly = false },
        { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
      ]

      healthCheck = {
        command     = ["CMD", "node", "/app/docker/healthcheck.js"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 120
      }

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.consumer.name
          awslogs-region        = local.region
          awslogs-stream-prefix = "consumer"
          mode                  = "non-blocking"
          max-buffer-size       = "25m"
        }
      }
    }
  ])

  lifecycle {
    precondition {
      condition     = local.kinesis_stream_arn != null
      error_message = "Set create_kinesis_stream = true or give kinesis_stream_arn."
    }

    precondition {
      condition     = var.ecr_repository_arn != null || !can(regex("\\.dkr\\.ecr\\.", var.consumer_image))
      error_message = "consumer_image is in ECR: set ecr_repository_arn so the execution role may pull it (and only it)."
    }
  }

  tags = local.tags
}

resource "aws_cloudwatch_log_group" "consumer" {
  name              = "/ecs/${var.name}-rta-consumer"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = local.kms_key_arn

  tags = local.tags
}

################################################################################
# Security group: no ingress; egress on 443 only
################################################################################

resource "aws_security_group" "consumer" {
  name_prefix = "${var.name}-rta-consumer-"
  description = "connect-wfm RTA consumer: no ingress, HTTPS egress to AWS APIs and Teleopti RTA"
  vpc_id      = var.vpc_id

  lifecycle {
    create_before_destroy = true
  }

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "consumer_https" {
  for_each = toset(var.consumer_egress_cidr_blocks)

  security_group_id = aws_security_group.consumer.id
  description       = "HTTPS: AWS APIs and Teleopti RTA"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value

  tags = local.tags
}
