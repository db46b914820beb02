variable "policies" {
  description = "The organisation's backup tiers, keyed by policy name (such as `standard`, `pci-gold`): each becomes a vault, a backup plan and a tag selection clusters join with `backup_policy`. `tier` is the guardrail strictness (`production` requires a vault key, a copy and a compliance lock, rule G7); `retention_days` is also the floor of the clusters' automated backups (rule G6). `copy_to_region` or `copy_to_vault_arn` copies every recovery point; `vault_lock` locks the vault."
  type = map(object({
    tier              = string
    retention_days    = number
    schedule          = optional(string)
    continuous        = optional(bool)
    copy_to_region    = optional(string)
    copy_to_vault_arn = optional(string)
    vault_lock = optional(object({
      mode                = string
      min_retention_days  = optional(number)
      max_retention_days  = optional(number)
      changeable_for_days = optional(number)
    }))
  }))

  validation {
    condition     = length(var.policies) > 0 && alltrue([for k in keys(var.policies) : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{1,49}$", k))])
    error_message = "policies must hold at least one policy, each named with 2 to 50 letters, digits, hyphens and underscores, starting with a letter or digit."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : contains(["production", "staging", "development"], p.tier)])
    error_message = "policies tier must be one of production, staging, development."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : floor(p.retention_days) == p.retention_days && p.retention_days >= 1 && p.retention_days <= 36500 && (p.continuous != true || p.retention_days <= 35)])
    error_message = "policies retention_days must be a whole number from 1 to 36500, and at most 35 with continuous backup."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : p.copy_to_region == null || p.copy_to_vault_arn == null])
    error_message = "A policy copies either to another region (copy_to_region) or to a vault in another account (copy_to_vault_arn), not both."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : p.vault_lock == null ? true : contains(["governance", "compliance"], p.vault_lock.mode)])
    error_message = "policies vault_lock mode must be governance or compliance."
  }
}

variable "vault_kms_key_arn" {
  description = "Customer-managed KMS key encrypting every vault (rule G7 requires one in production)."
  type        = string
  default     = null

  validation {
    condition     = var.vault_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.vault_kms_key_arn, "-")))
    error_message = "vault_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "backup_role_arn" {
  description = "IAM role AWS Backup assumes to back up the selected clusters (for example one with the `AWSBackupServiceRolePolicyForBackup` managed policy)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.backup_role_arn))
    error_message = "backup_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "tags" {
  description = "Tags for every vault and plan."
  type        = map(string)
  default     = {}
}
