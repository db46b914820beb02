locals {
  major  = split(".", var.engine_version)[0]
  family = "aurora-postgresql${local.major}"

  # Strictness by tier: what a team gets when it says nothing else.
  tier_defaults = {
    production  = { instance_class = "db.r6g.large", readers = 2, backup_retention_days = 14 }
    staging     = { instance_class = "db.r6g.large", readers = 1, backup_retention_days = 7 }
    development = { instance_class = "db.t4g.medium", readers = 0, backup_retention_days = 7 }
  }
  defaults = local.tier_defaults[var.tier]

  # Without an explicit retention, the tier's default is raised to the backup policy's floor
  # (AWS caps automated backups at 35 days); an explicit one below the floor fails at plan time.
  backup_retention_days = var.backup_retention_days != null ? var.backup_retention_days : max(
    local.defaults.backup_retention_days,
    var.backup_policy == null ? 0 : min(var.backup_policy.retention_days, 35),
  )

  tags = merge(var.tags, { module = "dbrail/aurora-postgresql" })
}

resource "dbrail_parameter_baseline" "this" {
  name      = "${var.name}-pg${local.major}"
  family    = local.family
  overrides = var.parameter_overrides
  tags      = local.tags
}

resource "dbrail_cluster" "this" {
  name                = var.name
  engine              = "aurora-postgresql"
  engine_version      = var.engine_version
  tier                = var.tier
  instance_class      = coalesce(var.instance_class, local.defaults.instance_class)
  readers             = coalesce(var.readers, local.defaults.readers)
  subnet_ids          = var.subnet_ids
  security_group_ids  = var.security_group_ids
  kms_key_id          = var.kms_key_id
  monitoring_role_arn = var.monitoring_role_arn
  monitoring_interval = var.monitoring_role_arn == null ? 0 : 60
  maintenance_window  = var.maintenance_window
  parameter_baseline  = dbrail_parameter_baseline.this
  backup_policy       = var.backup_policy

  backup {
    retention_days = local.backup_retention_days
    window         = var.backup_window
  }

  # Destroying a guarded cluster is a deliberate, recorded act: apply with decommission = true
  # first (guard off under a one-day waiver of rule G4), then destroy.
  deletion_guard = !var.decommission
  dynamic "waiver" {
    for_each = var.decommission ? ["G4"] : []
    content {
      rule    = waiver.value
      reason  = "decommissioning: the cluster is destroyed next; a final snapshot is kept"
      expires = formatdate("YYYY-MM-DD", timeadd(plantimestamp(), "24h"))
    }
  }

  tags = local.tags
}
