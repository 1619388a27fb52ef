terraform {
  required_version = ">= 1.5.7, < 2.0.0"

  # Only the AWS provider and no registry module: this example initialises from a local provider mirror
  # (terraform init -plugin-dir=...), which is how CI validates it offline.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}
