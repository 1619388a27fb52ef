################################################################################
# Grafana dashboards (CloudWatch data source), provisioned only behind a flag
################################################################################

resource "grafana_dashboard" "this" {
  for_each = var.enable_grafana_dashboards ? fileset("${path.module}/dashboards", "*.json") : toset([])

  config_json = file("${path.module}/dashboards/${each.value}")
  folder      = var.grafana_folder_uid
  overwrite   = true
}
