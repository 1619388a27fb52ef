terraform {
  required_version = ">= 1.5.7, < 2.0.0"

  # A root configuration pins (~>) and commits .terraform.lock.hcl after `terraform init`.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    grafana = {
      source  = "grafana/grafana"
      version = "~> 3.0"
    }
  }
}
