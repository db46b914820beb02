# A development Aurora MySQL 8.0 cluster for the ledger service: a single writer, a small
# instance, no enhanced monitoring. Guardrails that cost money in development (G12 readers,
# G13 monitoring) are warnings here; encryption, TLS, IAM authentication and the managed
# password are still enforced.
terraform {
  required_version = ">= 1.11"

  required_providers {
    dbrail = {
      source  = "dbrail/dbrail"
      version = "~> 0.1"
    }
  }
}

# Region, credentials and endpoints come from the environment (AWS_REGION, the AWS credential
# chain, AWS_ENDPOINT_URL), so this runs unchanged against the emulator or a real account.
provider "dbrail" {}

variable "subnet_ids" {
  description = "Private subnets in at least two availability zones."
  type        = list(string)
}

variable "kms_key_id" {
  description = "Customer-managed KMS key for storage and Performance Insights."
  type        = string
}

variable "decommission" {
  description = "Set to true, in an apply of its own, before destroying."
  type        = bool
  default     = false
}

# The organisation's standard backup tier (usually from the backup-policy module, in a stack
# of its own); the cluster joins it and its backups are kept at least as long.
resource "dbrail_backup_policy" "standard" {
  name              = "ledger-dev-standard"
  tier              = "development"
  vault_kms_key_arn = var.kms_key_id
  backup_role_arn   = "arn:aws:iam::123456789012:role/backup"
  retention_days    = 14
}

module "ledger_db" {
  source = "../../"

  name          = "ledger-dev"
  tier          = "development"
  subnet_ids    = var.subnet_ids
  kms_key_id    = var.kms_key_id
  decommission  = var.decommission
  backup_policy = dbrail_backup_policy.standard

  # A read-only role for the ledger's reporting job; in development a permissions boundary is
  # advised (a warning), not required.
  access_roles = {
    reporting = {
      db_user           = "ledger_reporting"
      tier              = "read_only"
      trusted_role_arns = ["arn:aws:iam::123456789012:role/ledger-reporting"]
      schema            = "ledger"
    }
  }

  tags = {
    team    = "payments"
    service = "ledger"
  }
}

output "endpoint" {
  description = "Writer endpoint of the ledger database."
  value       = module.ledger_db.endpoint
}

output "compliance" {
  description = "Guardrail outcomes."
  value       = module.ledger_db.compliance
}

output "access_grant_sql" {
  description = "Run once as the master user to create the database users."
  value       = module.ledger_db.access_grant_sql
}
