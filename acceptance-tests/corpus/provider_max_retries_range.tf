# Provider block: max_retries beyond its range.
# expect: max_retries
# expect: 25
# at: provider max_retries

provider "dbrail" {
  max_retries = 99
}

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

