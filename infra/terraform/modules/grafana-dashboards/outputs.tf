output "dashboard_urls" {
  description = "Provisioned Grafana dashboards, by file."
  value       = { for file, d in grafana_dashboard.this : file => d.url }
}
