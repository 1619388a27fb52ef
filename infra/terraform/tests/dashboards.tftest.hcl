# The CloudWatch dashboard graphs the metrics the product emits, the same ones as the Grafana dashboard.
# The product's metric names come from common/observability/metricNames.ts; jest passes them:
#   terraform test -filter=tests/dashboards.tftest.hcl -var 'product_metric_names=["MillisBehindLatest", ...]'

mock_provider "aws" {
  source = "./tests/mocks"
}

run "cloudwatch_dashboard" {
  command = apply

  # "<namespace> <metric>" of every graphed series: metric arrays name both, SEARCH expressions carry them in text.
  assert {
    condition = toset(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [
      for m in w.properties.metrics : can(m[0].expression)
      ? join(" ", regex("\\{([^}]+)\\} MetricName=\"([^\"]+)\"", m[0].expression))
      : "${m[0]} ${m[1]}"
      ]])) == toset(flatten([for p in jsondecode(file("${path.module}/dashboards/connect-wfm.json")).panels : [
      for t in try(p.targets, []) : "${t.namespace} ${t.metricName}"
    ]]))
    error_message = "The CloudWatch dashboard must graph exactly the metrics of dashboards/connect-wfm.json."
  }

  assert {
    condition = length(var.product_metric_names) > 10 && toset(var.product_metric_names) == toset(flatten([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [
        for m in w.properties.metrics : regex("MetricName=\"([^\"]+)\"", m[0].expression)[0]
        if can(regex("^SEARCH\\('\\{ConnectWfm\\}", m[0].expression))
      ]
    ]))
    error_message = "The CloudWatch dashboard must graph every metric the product emits (namespace ConnectWfm) and no other in that namespace."
  }

  assert {
    condition = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets :
      w.type == "metric" && w.properties.region == "eu-west-1" && length(w.properties.metrics) > 0
    ])
    error_message = "Every widget must be a metric graph of this region."
  }

  assert {
    condition = (
      strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"FunctionName\",\"acme-wfm-transfer\"") &&
      strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"StreamName\",\"acme-wfm-agent-events\"") &&
      strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"ServiceName\",\"acme-wfm-rta-consumer\"") &&
      !strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "$${")
    )
    error_message = "The CloudWatch dashboard must name this deployment's resources (Grafana's variables resolved)."
  }
}
