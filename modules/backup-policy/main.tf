locals {
  tags = merge(var.tags, { module = "dbrail/backup-policy" })
}

# One backup tier per entry of var.policies: vault, plan and the selection of every resource
# tagged `dbrail:backup-policy = <name>`.
resource "dbrail_backup_policy" "this" {
  for_each = var.policies

  name              = each.key
  tier              = each.value.tier
  vault_kms_key_arn = var.vault_kms_key_arn
  backup_role_arn   = var.backup_role_arn
  schedule          = each.value.schedule
  retention_days    = each.value.retention_days
  continuous        = each.value.continuous

  dynamic "copy_to" {
    for_each = each.value.copy_to_region == null && each.value.copy_to_vault_arn == null ? [] : ["copy"]
    content {
      region    = each.value.copy_to_region
      vault_arn = each.value.copy_to_vault_arn
    }
  }

  dynamic "vault_lock" {
    for_each = each.value.vault_lock == null ? [] : [each.value.vault_lock]
    content {
      mode                = vault_lock.value.mode
      min_retention_days  = vault_lock.value.min_retention_days
      max_retention_days  = vault_lock.value.max_retention_days
      changeable_for_days = vault_lock.value.changeable_for_days
    }
  }

  tags = local.tags
}
