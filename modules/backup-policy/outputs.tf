output "policies" {
  description = "Each policy as the aurora modules' `backup_policy` input takes it (`name`, `retention_days`), keyed like `policies`."
  value       = { for k, p in dbrail_backup_policy.this : k => { name = p.name, retention_days = p.retention_days } }
}

output "vault_arns" {
  description = "ARN of each policy's backup vault, keyed like `policies`."
  value       = { for k, p in dbrail_backup_policy.this : k => p.vault_arn }
}

output "summaries" {
  description = "Each policy in one sentence, for reviews and auditors, keyed like `policies`."
  value       = { for k, p in dbrail_backup_policy.this : k => p.summary }
}
