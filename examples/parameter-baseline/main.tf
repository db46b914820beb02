terraform {
  required_version = ">= 1.11"

  required_providers {
    dbrail = {
      source  = "dbrail/dbrail"
      version = "0.1.0"
    }
  }
}

# No arguments on purpose: the region and the endpoint come from the environment
# (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, ...), so this configuration runs unchanged
# against the local emulator (`make demo`) or a real AWS account.
provider "dbrail" {}

# One cluster parameter group and one instance parameter group for Aurora PostgreSQL 16,
# holding dbrail's baseline (TLS 1.2+ enforced, pgaudit loaded, DDL and connection logging,
# session timeouts) plus the two overrides below. Every override carries its reason, which
# dbrail records as a tag on the parameter group.
resource "dbrail_parameter_baseline" "orders" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"

  overrides = {
    "log_min_duration_statement" = {
      value  = "500"
      reason = "the orders API's p99 target is 500 ms: log every statement that alone exceeds it"
    }
    "idle_in_transaction_session_timeout" = {
      value  = "300000"
      reason = "the connection pool recycles after 5 minutes; an idle transaction longer than that is a leak"
    }
  }

  tags = {
    team    = "payments"
    service = "orders"
  }
}
