variable "dashboards_dir" {
  description = "Directory of Grafana dashboard JSON files to provision (every *.json in it). Default: the root module's dashboards/."
  type        = string
  default     = null
}

variable "folder_uid" {
  description = "Grafana folder for the dashboards (null = General)."
  type        = string
  default     = null
}
