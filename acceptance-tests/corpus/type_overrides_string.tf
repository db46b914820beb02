# Wrong type: an override given as a bare string, not an object.
# expect: Incorrect attribute value type
# at: dbrail_parameter_baseline.pg overrides

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
  overrides = {
    log_min_duration_statement = "500"
  }
}
