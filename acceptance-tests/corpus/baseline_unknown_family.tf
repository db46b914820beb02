# A family dbrail has no baseline for.
# expect: aurora-postgresql16
# at: dbrail_parameter_baseline.pg family

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "mysql5.7"
}
