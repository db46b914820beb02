# DB-ACCESS-DB-USER: a user name RDS owns.
# expect: [DB-ACCESS-DB-USER]
# at: dbrail_access_role.x db_user

resource "dbrail_access_role" "x" {
  name                     = "orders-app-db"
  tier                     = "read_write"
  engine                   = "aurora-postgresql"
  cluster_resource_id      = "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  db_user                  = "rdsadmin"
  trusted_role_arns        = ["arn:aws:iam::123456789012:role/orders-api"]
  permissions_boundary_arn = "arn:aws:iam::123456789012:policy/database-access-boundary"
}
