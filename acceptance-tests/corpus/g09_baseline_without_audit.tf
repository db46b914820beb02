# G9: a baseline object whose effective parameters lack audit logging.
# expect: [G9]
# at: dbrail_cluster.x parameter_baseline

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
  parameter_baseline = {
    name                          = "hand-made"
    family                        = "aurora-postgresql16"
    cluster_parameter_group_name  = "hand-made-cluster"
    instance_parameter_group_name = "hand-made-instance"
    effective_cluster_parameters = {
      "rds.force_ssl"            = "1"
      "ssl_min_protocol_version" = "TLSv1.2"
    }
  }
  tags = {
    team = "payments"
  }
}
