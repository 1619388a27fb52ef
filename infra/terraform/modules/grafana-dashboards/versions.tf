terraform {
  required_version = ">= 1.5.7, < 2.0.0"

  required_providers {
    grafana = {
      source  = "grafana/grafana"
      version = ">= 3.0, < 5.0"
    }
  }
}
