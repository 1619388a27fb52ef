# Realistic computed values for the mocked AWS provider (terraform test): ARNs and ids in the formats the provider
# validates when one resource's value is another's argument. Account 111122223333, region eu-west-1.

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "111122223333"
    arn        = "arn:aws:iam::111122223333:user/terraform-test"
    id         = "111122223333"
  }
}

mock_data "aws_region" {
  defaults = {
    name        = "eu-west-1"
    id          = "eu-west-1"
    description = "Europe (Ireland)"
    endpoint    = "ec2.eu-west-1.amazonaws.com"
  }
}

mock_data "aws_partition" {
  defaults = {
    partition          = "aws"
    dns_suffix         = "amazonaws.com"
    reverse_dns_prefix = "com.amazonaws"
    id                 = "aws"
  }
}

# The mock cannot render policies (the IAM suite uses the real provider for that); any valid document will do here.
mock_data "aws_iam_policy_document" {
  defaults = {
    json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Mock\",\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::mock/*\"}]}"
  }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    key_id = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
  }
}

mock_resource "aws_kms_alias" {
  defaults = {
    arn = "arn:aws:kms:eu-west-1:111122223333:alias/acme-wfm-connect-wfm"
  }
}

mock_resource "aws_kinesis_stream" {
  defaults = {
    arn = "arn:aws:kinesis:eu-west-1:111122223333:stream/acme-wfm-agent-events"
    id  = "arn:aws:kinesis:eu-west-1:111122223333:stream/acme-wfm-agent-events"
  }
}

mock_resource "aws_s3_bucket" {
  defaults = {
    arn                         = "arn:aws:s3:::acme-wfm-connect-wfm-20261202000000000000000001"
    id                          = "acme-wfm-connect-wfm-20261202000000000000000001"
    bucket                      = "acme-wfm-connect-wfm-20261202000000000000000001"
    bucket_domain_name          = "acme-wfm-connect-wfm-20261202000000000000000001.s3.amazonaws.com"
    bucket_regional_domain_name = "acme-wfm-connect-wfm-20261202000000000000000001.s3.eu-west-1.amazonaws.com"
    region                      = "eu-west-1"
  }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:eu-west-1:111122223333:acme-wfm-transfer"
    id  = "https://sqs.eu-west-1.amazonaws.com/111122223333/acme-wfm-transfer"
    url = "https://sqs.eu-west-1.amazonaws.com/111122223333/acme-wfm-transfer"
  }
}

mock_resource "aws_dynamodb_table" {
  defaults = {
    arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/acme-wfm-table"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/acme-wfm-rta-consumer"
  }
}

mock_resource "aws_secretsmanager_secret" {
  defaults = {
    arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:acme-wfm/secret-AbCdEf"
    id  = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:acme-wfm/secret-AbCdEf"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn       = "arn:aws:iam::111122223333:role/acme-wfm-role"
    id        = "acme-wfm-role"
    name      = "acme-wfm-role"
    unique_id = "AROAEXAMPLEEXAMPLE000"
  }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn                         = "arn:aws:lambda:eu-west-1:111122223333:function:acme-wfm-transfer"
    invoke_arn                  = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:acme-wfm-transfer/invocations"
    qualified_arn               = "arn:aws:lambda:eu-west-1:111122223333:function:acme-wfm-transfer:1"
    version                     = "1"
    last_modified               = "2026-12-02T00:00:00.000+0000"
    signing_job_arn             = ""
    signing_profile_version_arn = ""
  }
}

mock_resource "aws_kinesis_firehose_delivery_stream" {
  defaults = {
    arn = "arn:aws:firehose:eu-west-1:111122223333:deliverystream/acme-wfm-ctr"
    id  = "arn:aws:firehose:eu-west-1:111122223333:deliverystream/acme-wfm-ctr"
  }
}

mock_resource "aws_ecs_cluster" {
  defaults = {
    arn = "arn:aws:ecs:eu-west-1:111122223333:cluster/acme-wfm-connect-wfm"
    id  = "arn:aws:ecs:eu-west-1:111122223333:cluster/acme-wfm-connect-wfm"
  }
}

mock_resource "aws_ecs_task_definition" {
  defaults = {
    arn                  = "arn:aws:ecs:eu-west-1:111122223333:task-definition/acme-wfm-rta-consumer:1"
    arn_without_revision = "arn:aws:ecs:eu-west-1:111122223333:task-definition/acme-wfm-rta-consumer"
    revision             = 1
  }
}

mock_resource "aws_ecs_service" {
  defaults = {
    id = "arn:aws:ecs:eu-west-1:111122223333:service/acme-wfm-connect-wfm/acme-wfm-rta-consumer"
  }
}

mock_resource "aws_security_group" {
  defaults = {
    id  = "sg-0123456789abcdef0"
    arn = "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0123456789abcdef0"
  }
}

mock_resource "aws_cloudwatch_event_rule" {
  defaults = {
    arn = "arn:aws:events:eu-west-1:111122223333:rule/acme-wfm-transfer-drain"
  }
}

mock_resource "aws_cloudwatch_metric_alarm" {
  defaults = {
    arn = "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:acme-wfm-alarm"
  }
}

mock_resource "aws_cloudwatch_dashboard" {
  defaults = {
    dashboard_arn = "arn:aws:cloudwatch::111122223333:dashboard/acme-wfm-connect-wfm"
  }
}

mock_resource "aws_appautoscaling_target" {
  defaults = {
    arn = "arn:aws:application-autoscaling:eu-west-1:111122223333:scalable-target/0123456789abcdef0123456789abcdef"
  }
}

mock_resource "aws_appautoscaling_policy" {
  defaults = {
    arn = "arn:aws:autoscaling:eu-west-1:111122223333:scalingPolicy:00000000-0000-0000-0000-000000000000:resource/ecs/service/acme-wfm-connect-wfm/acme-wfm-rta-consumer:policyName/acme-wfm-open-shards-per-task"
  }
}
