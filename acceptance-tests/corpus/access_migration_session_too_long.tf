# DB-ACCESS-SESSION: migration sessions are capped at one hour.
# expect: [DB-ACCESS-SESSION]
# at: dbrail_access_role.x max_session_duration

resource "dbrail_access_role" "x" {
  name                     = "orders-migrations-db"
  tier                     = "migration"
  engine                   = "aurora-postgresql"
  cluster_resource_id      = "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  db_user                  = "orders_migrations"
  trusted_role_arns        = ["arn:aws:iam::123456789012:role/ci-deploy"]
  max_session_duration     = 7200
  permissions_boundary_arn = "arn:aws:iam::123456789012:policy/database-access-boundary"
}
