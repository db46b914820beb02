resource "dbrail_parameter_baseline" "orders" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

# A production Aurora PostgreSQL 16 cluster: one writer and two readers in different
# availability zones, encrypted with a customer-managed key, IAM database authentication,
# the master password in Secrets Manager, deletion guarded.
resource "dbrail_cluster" "orders" {
  name                = "orders"
  engine              = "aurora-postgresql"
  engine_version      = "16"
  tier                = "production"
  instance_class      = "db.r6g.large"
  readers             = 2
  subnet_ids          = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
  security_group_ids  = ["sg-0a1b2c3d4e5f60003"]
  kms_key_id          = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  monitoring_role_arn = "arn:aws:iam::111122223333:role/rds-monitoring"
  parameter_baseline  = dbrail_parameter_baseline.orders

  backup {
    retention_days = 14
    window         = "02:00-03:00"
  }

  tags = {
    team  = "payments"
    owner = "orders-platform"
  }
}
