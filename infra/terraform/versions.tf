terraform {
  # 1.5.7: check blocks and the provider features used here; < 2.0 keeps a major upgrade a deliberate change.
  required_version = ">= 1.5.7, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.31 added the Firehose/Lambda arguments used here; 7.x is untested.
      version = ">= 5.31, < 7.0"
    }
    grafana = {
      source = "grafana/grafana"
      # Only used when enable_grafana_dashboards = true.
      version = ">= 3.0, < 5.0"
    }
  }
}
