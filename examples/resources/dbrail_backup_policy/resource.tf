# The vault's customer-managed KMS key and the IAM role AWS Backup assumes for the selection.
variable "backup_kms_key_arn" {
  type = string
}

variable "backup_role_arn" {
  type = string
}

# A production backup tier: daily backups kept 35 days with point-in-time restore, copied to a
# second region, in a vault locked in compliance mode. Clusters opt in with
# `backup_policy = dbrail_backup_policy.pci_gold`.
resource "dbrail_backup_policy" "pci_gold" {
  name              = "pci-gold"
  tier              = "production"
  vault_kms_key_arn = var.backup_kms_key_arn
  backup_role_arn   = var.backup_role_arn
  schedule          = "cron(0 3 ? * * *)"
  retention_days    = 35
  continuous        = true

  copy_to {
    region         = "eu-central-1" # a vault named pci-gold must exist there
    retention_days = 90
  }

  vault_lock {
    mode                = "compliance"
    min_retention_days  = 35
    max_retention_days  = 365
    changeable_for_days = 3
  }

  tags = {
    team = "payments"
  }
}

# A cluster opts in:
#
# resource "dbrail_cluster" "orders" {
#   # ...
#   backup_policy = dbrail_backup_policy.pci_gold
# }
