################################################################################
# CloudWatch dashboard for teams without Grafana, rendered from the Grafana dashboard in dashboards/ so both graph
# the same metrics (Grafana provisioning itself: modules/grafana-dashboards).
################################################################################

locals {
  grafana_dashboard = jsondecode(file("${path.module}/dashboards/connect-wfm.json"))
  dashboard_panels  = [for p in local.grafana_dashboard.panels : p if p.type != "row"]

  # Every graphed metric, in panel order, with Grafana's ${name} and ${stream} variables resolved for this deployment.
  # A target without dimensions matches any dimension set (as in Grafana) through a SEARCH expression; one with
  # dimensions names them exactly.
  dashboard_stream_name = coalesce(local.kinesis_stream_name, "-")
  dashboard_metrics = [for i, p in local.dashboard_panels : [for j, t in p.targets : {
    id          = "p${i}t${j}"
    namespace   = t.namespace
    metric_name = t.metricName
    statistic   = t.statistic
    dimensions = flatten([for k, v in t.dimensions :
      [k, replace(replace(v, "$${name}", var.name), "$${stream}", local.dashboard_stream_name)]
    ])
  }]]

  cloudwatch_dashboard_body = jsonencode({
    widgets = [for i, p in local.dashboard_panels : {
      type   = "metric"
      x      = (i % 2) * 12
      y      = floor(i / 2) * 6
      width  = 12
      height = 6
      properties = {
        title   = p.title
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 60
        # A list mixes metric arrays and expression objects, which HCL types apart: each entry goes through JSON.
        metrics = [for m in local.dashboard_metrics[i] : jsondecode(length(m.dimensions) == 0
          ? jsonencode([{ id = m.id, label = m.metric_name, expression = "SEARCH('{${m.namespace}} MetricName=\"${m.metric_name}\"', '${m.statistic}', 60)" }])
          : jsonencode(concat([m.namespace, m.metric_name], m.dimensions, [{ stat = m.statistic, id = m.id }]))
        )]
      }
    }]
  })
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = "${var.name}-connect-wfm"
  dashboard_body = local.cloudwatch_dashboard_body
}
