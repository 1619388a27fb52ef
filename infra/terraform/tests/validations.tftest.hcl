# Every input validation refuses a bad value (one run per validated variable; a jest test keeps this list complete),
# and the preconditions that guard combinations of inputs. Plans only, on the mocked provider.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "rejects_name" {
  command = plan

  # upper case and underscore
  variables {
    name = "Acme_WFM"
  }

  expect_failures = [var.name]
}

run "rejects_log_retention_in_days" {
  command = plan

  # 0 = keep forever
  variables {
    log_retention_in_days = 0
  }

  expect_failures = [var.log_retention_in_days]
}

run "rejects_kms_key_arn" {
  command = plan

  # an alias, not a key ARN
  variables {
    kms_key_arn = "alias/acme-wfm"
  }

  expect_failures = [var.kms_key_arn]
}

run "rejects_kinesis_stream_arn" {
  command = plan

  # a name, not an ARN
  variables {
    kinesis_stream_arn = "acme-agent-events"
  }

  expect_failures = [var.kinesis_stream_arn]
}

run "rejects_kinesis_stream_mode" {
  command = plan

  # lower case
  variables {
    kinesis_stream_mode = "on_demand"
  }

  expect_failures = [var.kinesis_stream_mode]
}

run "rejects_kinesis_shard_count" {
  command = plan

  # not a whole number
  variables {
    kinesis_shard_count = 1.5
  }

  expect_failures = [var.kinesis_shard_count]
}

run "rejects_kinesis_retention_period_hours" {
  command = plan

  # below 24 h
  variables {
    kinesis_retention_period_hours = 12
  }

  expect_failures = [var.kinesis_retention_period_hours]
}

run "rejects_ctr_prefix" {
  command = plan

  # no trailing slash
  variables {
    ctr_prefix = "ctr"
  }

  expect_failures = [var.ctr_prefix]
}

run "rejects_firehose_buffering_interval_seconds" {
  command = plan

  # does not divide 900
  variables {
    firehose_buffering_interval_seconds = 120
  }

  expect_failures = [var.firehose_buffering_interval_seconds]
}

run "rejects_report_prefix" {
  command = plan

  # leading slash
  variables {
    report_prefix = "/reports/"
  }

  expect_failures = [var.report_prefix]
}

run "rejects_lambda_trigger_mode" {
  command = plan

  # unknown mode
  variables {
    lambda_trigger_mode = "cron"
  }

  expect_failures = [var.lambda_trigger_mode]
}

run "rejects_lambda_timeout_seconds" {
  command = plan

  # above Lambda's 900 s
  variables {
    lambda_timeout_seconds = 901
  }

  expect_failures = [var.lambda_timeout_seconds]
}

run "rejects_lambda_maximum_concurrency" {
  command = plan

  # below the SQS event source's minimum of 2
  variables {
    lambda_maximum_concurrency = 1
  }

  expect_failures = [var.lambda_maximum_concurrency]
}

run "rejects_csv_layout" {
  command = plan

  # unknown layout
  variables {
    csv_layout = "wide"
  }

  expect_failures = [var.csv_layout]
}

run "rejects_sftp_host_key_sha256" {
  command = plan

  # not a SHA-256 fingerprint
  variables {
    sftp_host_key_sha256 = "MD5:aa:bb:cc"
  }

  expect_failures = [var.sftp_host_key_sha256]
}

run "rejects_private_subnet_ids" {
  command = plan

  # no subnet
  variables {
    private_subnet_ids = []
  }

  expect_failures = [var.private_subnet_ids]
}

run "rejects_consumer_image" {
  command = plan

  # a mutable :latest tag
  variables {
    consumer_image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/connect-wfm:latest"
  }

  expect_failures = [var.consumer_image]
}

run "rejects_consumer_mode" {
  command = plan

  # unknown mode
  variables {
    consumer_mode = "lambda"
  }

  expect_failures = [var.consumer_mode]
}

run "rejects_kcl_retrieval_mode" {
  command = plan

  # lower case
  variables {
    kcl_retrieval_mode = "polling"
  }

  expect_failures = [var.kcl_retrieval_mode]
}

run "rejects_consumer_cpu" {
  command = plan

  # not a Fargate CPU value
  variables {
    consumer_cpu = 300
  }

  expect_failures = [var.consumer_cpu]
}

run "rejects_consumer_cpu_architecture" {
  command = plan

  # lower case
  variables {
    consumer_cpu_architecture = "arm64"
  }

  expect_failures = [var.consumer_cpu_architecture]
}

run "rejects_consumer_stop_timeout_seconds" {
  command = plan

  # above Fargate's 120 s
  variables {
    consumer_stop_timeout_seconds = 121
  }

  expect_failures = [var.consumer_stop_timeout_seconds]
}

run "rejects_wfm_rta_url" {
  command = plan

  # plain HTTP
  variables {
    wfm_rta_url = "http://wfm.example.com"
  }

  expect_failures = [var.wfm_rta_url]
}

run "rejects_rta_state_mode" {
  command = plan

  # unknown mode
  variables {
    rta_state_mode = "agent"
  }

  expect_failures = [var.rta_state_mode]
}

run "rejects_min_tasks_above_max_tasks" {
  command = plan

  variables {
    consumer_min_tasks = 3
    consumer_max_tasks = 2
  }

  expect_failures = [aws_appautoscaling_target.consumer]
}

run "rejects_an_ecr_image_without_its_repository" {
  command = plan

  variables {
    ecr_repository_arn = null
  }

  expect_failures = [aws_ecs_task_definition.consumer]
}

run "rejects_a_drain_shorter_than_two_minutes" {
  command = plan

  variables {
    lambda_trigger_mode    = "schedule"
    lambda_timeout_seconds = 119
  }

  expect_failures = [aws_cloudwatch_event_rule.drain]
}

run "rejects_no_stream_at_all" {
  command = plan

  variables {
    create_kinesis_stream = false
  }

  expect_failures = [aws_ecs_task_definition.consumer]
}
