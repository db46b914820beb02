# Malformed KMS key reference.
# expect: kms_key_id
# at: dbrail_cluster.x kms_key_id

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
  kms_key_id          = "arn:aws:kms:key"
  monitoring_role_arn = "arn:aws:iam::123456789012:role/rds-monitoring"
  parameter_baseline  = dbrail_parameter_baseline.pg
  tags = {
    team = "payments"
  }
}
