output "cluster_parameter_group_name" {
  description = "Attach to the Aurora cluster (aws_rds_cluster.db_cluster_parameter_group_name)."
  value       = dbrail_parameter_baseline.orders.cluster_parameter_group_name
}

output "instance_parameter_group_name" {
  description = "Attach to each Aurora instance (aws_rds_cluster_instance.db_parameter_group_name)."
  value       = dbrail_parameter_baseline.orders.instance_parameter_group_name
}

output "effective_cluster_parameters" {
  description = "Every parameter dbrail sets in the cluster group: baseline and overrides merged."
  value       = dbrail_parameter_baseline.orders.effective_cluster_parameters
}

output "effective_instance_parameters" {
  description = "Every parameter dbrail sets in the instance group: baseline and overrides merged."
  value       = dbrail_parameter_baseline.orders.effective_instance_parameters
}

output "pending_reboot" {
  description = "True when the last change touched a static parameter, which takes effect at each instance's next reboot."
  value       = dbrail_parameter_baseline.orders.pending_reboot
}
