# DB-ACCESS-BOUNDARY: a production access role without a permissions boundary.
# expect: [DB-ACCESS-BOUNDARY]
# at: dbrail_access_role.x

resource "dbrail_access_role" "x" {
  name                = "orders-app-db"
  tier                = "read_only"
  engine              = "aurora-postgresql"
  cluster_resource_id = "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  db_user             = "orders_reader"
  trusted_role_arns   = ["arn:aws:iam::123456789012:role/orders-api"]
}
