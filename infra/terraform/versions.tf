terraform {
  # 1.5.7: check blocks and the provider features used here; < 2.0 keeps a major upgrade a deliberate change.
  # (terraform test with mock providers, used by tests/, needs 1.7+ on the machine that runs the tests.)
  required_version = ">= 1.5.7, < 2.0.0"

  # Only the AWS provider: Grafana provisioning lives in modules/grafana-dashboards, so a team without Grafana
  # needs no other provider to init, plan or apply this module.
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.31 added the Firehose/Lambda arguments used here; 7.x is untested.
      version = ">= 5.31, < 7.0"
    }
  }
}
