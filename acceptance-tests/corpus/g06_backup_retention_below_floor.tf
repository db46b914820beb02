# G6: one day of backups in production.
# expect: [G6]
# at: dbrail_cluster.x retention_days

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

resource "dbrail_cluster" "x" {
  name                = "orders"
  engine              = "aurora-postgresql"
  engine_version      = "16"
  tier                = "production"
  instance_class      = "db.r6g.large"
  readers             = 2
  subnet_ids          = ["subnet-1", "subnet-2"]
  kms_key_id          = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  monitoring_role_arn = "arn:aws:iam::123456789012:role/rds-monitoring"
  parameter_baseline  = dbrail_parameter_baseline.pg
  tags = {
    team = "payments"
  }
  backup {
    retention_days = 1
  }
}
