# Provider block: an empty region.
# expect: region
# at: provider region

provider "dbrail" {
  region = ""
}

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

