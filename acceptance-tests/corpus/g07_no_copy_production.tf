# G7: a production backup policy whose recovery points never leave the region.
# expect: [G7]
# at: dbrail_backup_policy.x

resource "dbrail_backup_policy" "x" {
  name              = "pci-gold"
  tier              = "production"
  vault_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  backup_role_arn   = "arn:aws:iam::123456789012:role/backup"
  schedule          = "cron(0 3 ? * * *)"
  retention_days    = 35

  vault_lock {
    mode                = "compliance"
    min_retention_days  = 7
    max_retention_days  = 365
    changeable_for_days = 3
  }
}
