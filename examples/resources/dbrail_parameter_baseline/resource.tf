# dbrail's baseline for Aurora PostgreSQL 16 (TLS enforced, pgaudit, DDL and connection logging,
# session timeouts) plus one reasoned override. The reason is recorded as a tag on the group.
resource "dbrail_parameter_baseline" "orders" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"

  overrides = {
    log_min_duration_statement = {
      value  = "500"
      reason = "the orders API's p99 target is 500 ms"
    }
  }

  tags = {
    team = "payments"
  }
}
