# Provider block: default_tags given as a list.
# expect: Incorrect attribute value type
# at: provider default_tags

provider "dbrail" {
  default_tags = ["team"]
}

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

