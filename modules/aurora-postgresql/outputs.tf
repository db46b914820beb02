output "cluster_id" {
  description = "The cluster identifier."
  value       = dbrail_cluster.this.id
}

output "cluster_arn" {
  description = "The cluster's ARN."
  value       = dbrail_cluster.this.arn
}

output "cluster_resource_id" {
  description = "The cluster's resource id (`cluster-...`), which IAM database authentication policies name."
  value       = dbrail_cluster.this.cluster_resource_id
}

output "endpoint" {
  description = "Writer endpoint."
  value       = dbrail_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint."
  value       = dbrail_cluster.this.reader_endpoint
}

output "port" {
  description = "Database port (5433 unless configured otherwise: not the well-known port, rule G15)."
  value       = dbrail_cluster.this.port
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the master password (the password itself never reaches state)."
  value       = dbrail_cluster.this.master_user_secret_arn
}

output "parameter_baseline_name" {
  description = "Name of the parameter baseline the cluster uses."
  value       = dbrail_parameter_baseline.this.name
}

output "cluster_parameter_group_name" {
  description = "The DB cluster parameter group."
  value       = dbrail_parameter_baseline.this.cluster_parameter_group_name
}

output "instance_parameter_group_name" {
  description = "The DB instance parameter group."
  value       = dbrail_parameter_baseline.this.instance_parameter_group_name
}

output "compliance" {
  description = "Each guardrail's outcome for the cluster: `passed`, `waived`, `undecided` or `failed`."
  value       = dbrail_cluster.this.compliance
}

output "access_role_arns" {
  description = "ARN of each access role, keyed like `access_roles`: what the service assumes before requesting an IAM authentication token."
  value       = { for k, r in dbrail_access_role.this : k => r.arn }
}

output "access_role_names" {
  description = "Name of each access role, keyed like `access_roles`."
  value       = { for k, r in dbrail_access_role.this : k => r.name }
}

output "access_grant_sql" {
  description = "SQL creating each role's database user for IAM login with its tier's privileges, keyed like `access_roles`; run it once as the master user."
  value       = { for k, r in dbrail_access_role.this : k => r.grant_sql }
}

output "backup_policy_name" {
  description = "The backup policy covering the cluster (tagged `dbrail:backup-policy`), or null."
  value       = dbrail_cluster.this.backup_policy == null ? null : dbrail_cluster.this.backup_policy.name
}
