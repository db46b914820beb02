# The cluster's resource id and master secret, usually `dbrail_cluster.orders.cluster_resource_id`
# and `dbrail_cluster.orders.master_user_secret_arn`.
variable "orders_cluster_resource_id" {
  type = string
}

variable "orders_master_secret_arn" {
  type = string
}

# The orders service reads and writes the orders database as `orders_app`, through IAM
# database authentication: no database password exists for it.
resource "dbrail_access_role" "orders_app" {
  name                     = "orders-app-db"
  tier                     = "read_write"
  engine                   = "aurora-postgresql"
  cluster_resource_id      = var.orders_cluster_resource_id
  db_user                  = "orders_app"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/database-access-boundary"

  # The Kubernetes service account the service runs as.
  oidc {
    provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
    subject      = "system:serviceaccount:orders:orders-api"
  }

  tags = {
    service = "orders"
  }
}

# Schema migrations from CI: DDL privileges, one-hour sessions.
resource "dbrail_access_role" "orders_migrations" {
  name                     = "orders-migrations-db"
  tier                     = "migration"
  engine                   = "aurora-postgresql"
  cluster_resource_id      = var.orders_cluster_resource_id
  db_user                  = "orders_migrations"
  trusted_role_arns        = ["arn:aws:iam::111122223333:role/ci-deploy"]
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/database-access-boundary"
  max_session_duration     = 3600
}

# Emergency access for the on-call DBAs: reads only the master secret, MFA required.
resource "dbrail_access_role" "orders_break_glass" {
  name                     = "orders-break-glass"
  tier                     = "break_glass"
  master_secret_arn        = var.orders_master_secret_arn
  trusted_role_arns        = ["arn:aws:iam::111122223333:role/dba-oncall"]
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/database-access-boundary"
}

# Run this once per cluster as the master user to create the database users.
output "orders_grant_sql" {
  value = join("\n", [
    dbrail_access_role.orders_app.grant_sql,
    dbrail_access_role.orders_migrations.grant_sql,
  ])
}
