locals {
  tags = merge(var.tags, { module = "dbrail/access" })
}

# One IAM database authentication role per entry of var.roles, against an existing cluster.
# Break-glass roles read the master secret instead of connecting as a database user.
resource "dbrail_access_role" "this" {
  for_each = var.roles

  name        = "${var.name}-${each.key}"
  tier        = each.value.tier
  environment = var.environment
  engine      = var.engine

  cluster_resource_id = each.value.tier == "break_glass" ? null : var.cluster_resource_id
  db_user             = each.value.db_user
  master_secret_arn   = each.value.tier == "break_glass" ? var.master_secret_arn : null
  schema              = each.value.schema

  trusted_role_arns        = each.value.trusted_role_arns
  trusted_services         = each.value.trusted_services
  permissions_boundary_arn = each.value.permissions_boundary_arn != null ? each.value.permissions_boundary_arn : var.permissions_boundary_arn

  dynamic "oidc" {
    for_each = each.value.oidc == null ? [] : [each.value.oidc]
    content {
      provider_arn = oidc.value.provider_arn
      subject      = oidc.value.subject
    }
  }

  tags = local.tags
}
