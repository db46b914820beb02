output "role_arns" {
  description = "ARN of each role, keyed like `roles`: what the service assumes before requesting an IAM authentication token."
  value       = { for k, r in dbrail_access_role.this : k => r.arn }
}

output "role_names" {
  description = "Name of each role, keyed like `roles`."
  value       = { for k, r in dbrail_access_role.this : k => r.name }
}

output "grant_sql" {
  description = "SQL creating each role's database user for IAM login with its tier's privileges, keyed like `roles`; run it once as the master user."
  value       = { for k, r in dbrail_access_role.this : k => r.grant_sql }
}

output "connect_resource_arns" {
  description = "The `rds-db:connect` resources each role is granted, keyed like `roles` (empty for break_glass)."
  value       = { for k, r in dbrail_access_role.this : k => r.connect_resource_arns }
}
