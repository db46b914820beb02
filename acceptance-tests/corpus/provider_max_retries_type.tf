# Provider block: a word where a number belongs.
# expect: Incorrect attribute value type
# expect: a number is required
# at: provider max_retries

provider "dbrail" {
  max_retries = "many"
}

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

