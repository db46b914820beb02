# An override scope other than cluster or instance.
# expect: Invalid value for scope
# expect: not one of cluster, instance
# at: dbrail_parameter_baseline.pg

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
  overrides = {
    log_min_duration_statement = {
      value  = "500"
      reason = "p99"
      scope  = "global"
    }
  }
}
