# Wrong type: a word where a number belongs.
# expect: Incorrect attribute value type
# expect: a number is required
# at: dbrail_cluster.x readers

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
  readers             = "two"
  subnet_ids          = ["subnet-1", "subnet-2"]
  kms_key_id          = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  monitoring_role_arn = "arn:aws:iam::123456789012:role/rds-monitoring"
  parameter_baseline  = dbrail_parameter_baseline.pg
  tags = {
    team = "payments"
  }
}
