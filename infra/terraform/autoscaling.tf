################################################################################
# KCL mode: target tracking on open shards per running task
################################################################################

resource "aws_appautoscaling_target" "consumer" {
  count = local.kcl_mode ? 1 : 0

  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.consumer.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.consumer_min_tasks
  max_capacity       = var.consumer_max_tasks

  lifecycle {
    precondition {
      condition     = var.consumer_min_tasks >= 1 && var.consumer_max_tasks >= var.consumer_min_tasks
      error_message = "Need 1 <= consumer_min_tasks <= consumer_max_tasks."
    }
  }

  tags = local.tags
}

# Desired tasks = open shards / consumer_shards_per_task: the metric is the stream's open-shard count (what every
# consumer task reports as OpenShardCount) divided by the number of running tasks (the SampleCount of the service's
# AWS/ECS CPUUtilization is one sample per running task per minute, so no Container Insights is needed).
resource "aws_appautoscaling_policy" "consumer_shards_per_task" {
  count = local.kcl_mode ? 1 : 0

  name               = "${var.name}-open-shards-per-task"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.consumer[0].service_namespace
  resource_id        = aws_appautoscaling_target.consumer[0].resource_id
  scalable_dimension = aws_appautoscaling_target.consumer[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = var.consumer_shards_per_task
    # Leases rebalance gradually (one steal per ~20 s per worker): scale in slowly.
    scale_in_cooldown  = 600
    scale_out_cooldown = 120

    customized_metric_specification {
      metrics {
        id          = "open_shards"
        label       = "Open shards of the agent event stream"
        return_data = false

        metric_stat {
          stat = "Maximum"

          metric {
            namespace   = "ConnectWfm"
            metric_name = "OpenShardCount"

            dynamic "dimensions" {
              for_each = var.consumer_metric_dimensions

              content {
                name  = dimensions.key
                value = dimensions.value
              }
            }
          }
        }
      }

      metrics {
        id          = "running_tasks"
        label       = "Running consumer tasks"
        return_data = false

        metric_stat {
          stat = "SampleCount"

          metric {
            namespace   = "AWS/ECS"
            metric_name = "CPUUtilization"

            dimensions {
              name  = "ClusterName"
              value = aws_ecs_cluster.this.name
            }

            dimensions {
              name  = "ServiceName"
              value = aws_ecs_service.consumer.name
            }
          }
        }
      }

      metrics {
        id          = "shards_per_task"
        label       = "Open shards per running task"
        expression  = "open_shards / running_tasks"
        return_data = true
      }
    }
  }
}
