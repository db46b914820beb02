# DB-LOG-STATEMENT: logging every statement writes secrets to the logs.
# expect: [DB-LOG-STATEMENT]
# at: dbrail_parameter_baseline.pg log_statement

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
  overrides = {
    log_statement = {
      value  = "all"
      reason = "debugging"
    }
  }
}
