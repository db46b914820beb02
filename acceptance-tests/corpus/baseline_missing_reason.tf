# An override without a reason.
# expect: [DB-OVERRIDE-REASON]
# expect: gives no reason
# at: dbrail_parameter_baseline.pg log_min_duration_statement

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
  overrides = {
    log_min_duration_statement = {
      value = "500"
    }
  }
}
