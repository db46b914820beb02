output "writer_endpoint" {
  description = "Where the application writes."
  value       = dbrail_cluster.orders.endpoint
}

output "reader_endpoint" {
  description = "Where read-only traffic goes."
  value       = dbrail_cluster.orders.reader_endpoint
}

output "cluster_resource_id" {
  description = "What IAM database authentication policies name."
  value       = dbrail_cluster.orders.cluster_resource_id
}

output "master_user_secret_arn" {
  description = "The Secrets Manager secret AWS keeps the master password in."
  value       = dbrail_cluster.orders.master_user_secret_arn
}

output "instances" {
  description = "Writer and readers."
  value = {
    writer  = dbrail_cluster.orders.writer_instance_id
    readers = dbrail_cluster.orders.reader_instance_ids
    zones   = dbrail_cluster.orders.availability_zones
  }
}

output "compliance" {
  description = "Each guardrail's outcome for this cluster."
  value       = dbrail_cluster.orders.compliance
}

output "cluster_parameters" {
  description = "The baseline's effective cluster parameters."
  value       = dbrail_parameter_baseline.orders.effective_cluster_parameters
}
