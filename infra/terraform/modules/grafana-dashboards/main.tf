################################################################################
# Grafana dashboards (CloudWatch data source) from the root module's dashboards/*.json. A separate module so the
# root needs only the AWS provider; the caller configures the grafana provider.
################################################################################

locals {
  dashboards_dir = coalesce(var.dashboards_dir, "${path.module}/../../dashboards")
}

resource "grafana_dashboard" "this" {
  for_each = fileset(local.dashboards_dir, "*.json")

  config_json = file("${local.dashboards_dir}/${each.value}")
  folder      = var.folder_uid
  overwrite   = true
}
