# A backup policy is imported by its name (its vault, plan and selection share it).
terraform import dbrail_backup_policy.pci_gold pci-gold
