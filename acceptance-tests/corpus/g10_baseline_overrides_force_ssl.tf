# G10 on the baseline: rds.force_ssl may not be weakened.
# expect: [G10]
# expect: rds.force_ssl
# at: dbrail_parameter_baseline.pg "rds.force_ssl"

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
  overrides = {
    "rds.force_ssl" = {
      value  = "0"
      reason = "legacy client"
    }
  }
}
