# The cluster's name, usually `dbrail_cluster.orders.name`.
variable "cluster_name" {
  type = string
}

# Restore evidence in CI: the plan fails when the newest recovery point of the cluster is older
# than max_age (or there is none), naming max_age; otherwise the summary is printed.
data "dbrail_backup_status" "orders" {
  cluster_name = var.cluster_name
  max_age      = "26h"
}

output "orders_backup_evidence" {
  value = data.dbrail_backup_status.orders.summary
}
