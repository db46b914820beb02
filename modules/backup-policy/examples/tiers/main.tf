# An organisation's two backup tiers: `standard` for staging databases, and `pci-gold` for
# cardholder data: continuous backup for point-in-time restore, a copy in a second region and a
# vault under a compliance lock. Clusters join one with `backup_policy`.
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

variable "kms_key_id" {
  description = "ARN of the customer-managed KMS key encrypting the vaults."
  type        = string
}

variable "backup_role_arn" {
  description = "IAM role AWS Backup assumes."
  type        = string
  default     = "arn:aws:iam::123456789012:role/backup"
}

module "backup_tiers" {
  source = "../../"

  vault_kms_key_arn = var.kms_key_id
  backup_role_arn   = var.backup_role_arn

  policies = {
    standard = {
      tier           = "staging"
      retention_days = 14
    }
    pci-gold = {
      tier           = "production"
      retention_days = 35
      continuous     = true
      copy_to_region = "us-west-2"
      vault_lock = {
        mode               = "compliance"
        min_retention_days = 7
        max_retention_days = 35
      }
    }
  }

  tags = {
    team = "platform"
  }
}

output "policies" {
  description = "What clusters pass as `backup_policy`."
  value       = module.backup_tiers.policies
}

output "summaries" {
  description = "Each tier in one sentence."
  value       = module.backup_tiers.summaries
}
