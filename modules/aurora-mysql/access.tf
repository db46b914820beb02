# One IAM database authentication role per entry of var.access_roles, against this cluster.
# Break-glass roles read the master secret instead of connecting as a database user.
resource "dbrail_access_role" "this" {
  for_each = var.access_roles

  name        = "${var.name}-${each.key}"
  tier        = each.value.tier
  environment = var.tier
  engine      = dbrail_cluster.this.engine

  cluster_resource_id = each.value.tier == "break_glass" ? null : dbrail_cluster.this.cluster_resource_id
  db_user             = each.value.db_user
  master_secret_arn   = each.value.tier == "break_glass" ? dbrail_cluster.this.master_user_secret_arn : null
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
