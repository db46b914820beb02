# G1 in staging is a warning: the plan succeeds but says so.
# expect: [G1]
# at: dbrail_cluster.x
# outcome: warning

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

resource "dbrail_cluster" "x" {
  name                = "orders"
  engine              = "aurora-postgresql"
  engine_version      = "16"
  tier                = "staging"
  instance_class      = "db.r6g.large"
  readers             = 2
  subnet_ids          = ["subnet-1", "subnet-2"]
  monitoring_role_arn = "arn:aws:iam::123456789012:role/rds-monitoring"
  parameter_baseline  = dbrail_parameter_baseline.pg
  tags = {
    team = "payments"
  }
}
