# G7: retention shorter than the vault lock's minimum makes every backup job fail.
# expect: [G7]
# at: dbrail_backup_policy.x retention_days

resource "dbrail_backup_policy" "x" {
  name              = "pci-gold"
  tier              = "production"
  vault_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  backup_role_arn   = "arn:aws:iam::123456789012:role/backup"
  schedule          = "cron(0 3 ? * * *)"
  retention_days    = 14

  copy_to {
    region         = "eu-central-1"
    retention_days = 90
  }

  vault_lock {
    mode                = "compliance"
    min_retention_days  = 35
    max_retention_days  = 365
    changeable_for_days = 3
  }
}
